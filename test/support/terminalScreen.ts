/**
 * A small terminal emulator for tests: it obeys what buildbell's terminal view sends (printable
 * text, CR, LF with the tty's usual CR, cursor to the previous line `ESC[nF`, up `ESC[nA`, erase
 * to the end of the screen `ESC[J` / line `ESC[K`) on a screen of fixed size with scrollback, so
 * a test can assert on what a person would see. Anything else a program sends (another escape
 * sequence, a control character, a C1 or bidi control) is kept in `unexpected`.
 */

export class TerminalScreen {
  /** Scrollback and screen: the last `rows` lines are the screen. */
  readonly #buffer: string[];
  /** Rows that continue the row above them (a line wider than the screen wrapped). */
  readonly #continued = new Set<number>();
  #row: number;
  #column = 0;
  /** Every control character or sequence the emulator does not obey, in order. */
  readonly unexpected: string[] = [];

  constructor(readonly rows = 24, readonly columns = 100) {
    this.#buffer = Array.from({ length: rows }, () => '');
    this.#row = 0;
  }

  get #screenTop(): number {
    return this.#buffer.length - this.rows;
  }

  write(text: string): void {
    const characters = Array.from(text);
    for (let index = 0; index < characters.length; index += 1) {
      const character = characters[index]!;
      if (character === '\x1b') {
        const rest = characters.slice(index).join('');
        // eslint-disable-next-line no-control-regex
        const match = /^\x1b\[(\d*)([FAJK])/.exec(rest);
        if (!match) {
          this.unexpected.push(rest.slice(0, 8));
          continue;
        }
        this.#control(Number(match[1] || '0'), match[2]!);
        index += Array.from(match[0]).length - 1;
      } else if (character === '\n') {
        this.#lineFeed();
      } else if (character === '\r') {
        this.#column = 0;
      // eslint-disable-next-line no-control-regex
      } else if (/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/.test(character)) {
        this.unexpected.push(character);
      } else {
        this.#print(character);
      }
    }
  }

  /** The visible rows, trailing spaces trimmed. */
  screen(): string[] {
    return this.#buffer.slice(this.#screenTop).map((line) => line.trimEnd());
  }

  /** Everything still readable, scrollback included, wrapped lines joined, without the empty rows at the end. */
  history(): string[] {
    const lines: string[] = [];
    this.#buffer.forEach((row, index) => {
      if (this.#continued.has(index) && lines.length > 0) lines[lines.length - 1] += row;
      else lines.push(row);
    });
    const trimmed = lines.map((line) => line.trimEnd());
    while (trimmed.length > 0 && trimmed.at(-1) === '') trimmed.pop();
    return trimmed;
  }

  #control(count: number, command: string): void {
    switch (command) {
      case 'F':
        this.#row = Math.max(this.#screenTop, this.#row - Math.max(1, count));
        this.#column = 0;
        break;
      case 'A':
        this.#row = Math.max(this.#screenTop, this.#row - Math.max(1, count));
        break;
      case 'J':
        this.#buffer[this.#row] = this.#buffer[this.#row]!.slice(0, this.#column);
        for (let row = this.#row + 1; row < this.#buffer.length; row += 1) {
          this.#buffer[row] = '';
          this.#continued.delete(row);
        }
        break;
      case 'K':
        this.#buffer[this.#row] = this.#buffer[this.#row]!.slice(0, this.#column);
        break;
    }
  }

  #lineFeed(): void {
    // A tty turns LF into CR LF (onlcr), as the view expects.
    this.#column = 0;
    if (this.#row === this.#buffer.length - 1) this.#buffer.push('');
    this.#row += 1;
    this.#continued.delete(this.#row);
  }

  #print(character: string): void {
    if (this.#column >= this.columns) {
      this.#lineFeed();
      this.#continued.add(this.#row);
    }
    const line = Array.from(this.#buffer[this.#row]!.padEnd(this.#column, ' '));
    line[this.#column] = character;
    this.#buffer[this.#row] = line.join('');
    this.#column += 1;
  }
}
