/** Small DOM helpers. Text always goes in through `textContent`: build titles come from the network. */

/** The element with this id; throws when the page lacks it (a broken page should say so at once). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  if (text !== undefined) created.textContent = text;
  return created;
}

/** Lines of a textarea, trimmed, without empty ones. */
export function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

/** Shows an outcome in an <output>: green for ok, red for an error. */
export function showOutcome(output: HTMLOutputElement, ok: boolean, text: string): void {
  output.dataset.ok = String(ok);
  output.textContent = text;
}
