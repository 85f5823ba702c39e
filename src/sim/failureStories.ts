/**
 * What a failed task's log says in the simulated worlds: per kind of task, the command or step
 * that fails, how its log ends and (GitHub) the annotation a problem matcher would add. Plain
 * data, chosen by the task's name with no draw from the PRNG, so adding it changed no seed's
 * story. Some lines carry the colour escapes real CI logs are full of, so the demo shows them
 * cleaned away.
 */

export interface SimFailure {
  /** Cirrus: the script's name (`test_script` runs command `test`); GitHub: the step's name. */
  readonly command: string;
  readonly step: string;
  /** The last lines of its log, oldest first. */
  readonly logTail: readonly string[];
  /** A problem matcher's annotation on a file, as GitHub shows it. */
  readonly annotation: { readonly path: string; readonly line: number; readonly message: string };
}

const RED = '\u001b[31m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

const LINT: SimFailure = {
  command: 'lint',
  step: 'Run npm run lint',
  logTail: [
    '> eslint .',
    '/tmp/cirrus-ci-build/src/router.ts',
    "  42:7  error  'route' is assigned a value but never used  @typescript-eslint/no-unused-vars",
    `${RED}${BOLD}✖ 1 problem (1 error, 0 warnings)${RESET}`,
  ],
  annotation: { path: 'src/router.ts', line: 42, message: "'route' is assigned a value but never used" },
};

const TEST: SimFailure = {
  command: 'test',
  step: 'Run npm test',
  logTail: [
    `${RED}FAIL${RESET} src/pagination.test.ts`,
    '  ● pagination › returns the last page',
    '    Expected: 5',
    '    Received: 4',
    `Tests:       ${RED}1 failed${RESET}, 83 passed, 84 total`,
  ],
  annotation: { path: 'src/pagination.test.ts', line: 31, message: 'pagination › returns the last page: expected 5, received 4' },
};

const BUILD: SimFailure = {
  command: 'build',
  step: 'Run npm run build',
  logTail: [
    'ERROR in ./src/index.ts 12:0-34',
    "Module not found: Error: Can't resolve './routes' in '/tmp/cirrus-ci-build/src'",
    `webpack 5.97.1 compiled with ${RED}1 error${RESET} in 8123 ms`,
  ],
  annotation: { path: 'src/index.ts', line: 12, message: "Module not found: Can't resolve './routes'" },
};

const BY_ALIAS: Readonly<Record<string, SimFailure>> = {
  lint: LINT,
  test: TEST,
  bundle: BUILD,
  build: BUILD,
  integration: {
    command: 'integration',
    step: 'Run integration tests',
    logTail: [
      'running 12 tests',
      'test orders::create_and_list ... FAILED',
      "thread 'orders::create_and_list' panicked at tests/orders.rs:57:10:",
      'called `Result::unwrap()` on an `Err` value: Connection refused (os error 111)',
      'test result: FAILED. 11 passed; 1 failed; 0 ignored',
    ],
    annotation: { path: 'tests/orders.rs', line: 57, message: 'Connection refused (os error 111)' },
  },
  android: {
    command: 'gradle',
    step: 'Run ./gradlew testDebugUnitTest',
    logTail: [
      '> Task :app:testDebugUnitTest FAILED',
      'LoginViewModelTest > rejectsEmptyPassword FAILED',
      '    java.lang.AssertionError at LoginViewModelTest.kt:48',
      `${RED}FAILURE: Build failed with an exception.${RESET}`,
    ],
    annotation: { path: 'app/src/test/java/LoginViewModelTest.kt', line: 48, message: 'rejectsEmptyPassword: AssertionError' },
  },
  ios: {
    command: 'xcodebuild',
    step: 'Run xcodebuild test',
    logTail: [
      "LoginTests.swift:33: error: -[LoginTests testEmptyPassword] : XCTAssertFalse failed",
      'Test Suite LoginTests failed',
      `${RED}** TEST FAILED **${RESET}`,
    ],
    annotation: { path: 'AppTests/LoginTests.swift', line: 33, message: 'testEmptyPassword: XCTAssertFalse failed' },
  },
};

/** How a task of this kind fails (by its Cirrus alias or GitHub job name); tests for anything unknown. */
export function simFailureFor(aliasOrName: string): SimFailure {
  return BY_ALIAS[aliasOrName] ?? TEST;
}
