#!/usr/bin/env node
// Judges the desktop app's memory report (issue #16) in the desktop workflow:
//   node .ci/checkDesktopMemory.mjs <report.json> <limit in MiB>
// The report is what the app writes when BUILDBELL_MEMORY_REPORT names a file
// (src/main/memoryReport.ts): every process's working set and their total. Prints them, and
// exits 1, naming the figure, when the total is above the limit or there is no report to judge.
import { readFileSync } from 'node:fs';

const [file, limitText] = process.argv.slice(2);
const limit = Number(limitText);
if (!file || !Number.isFinite(limit) || limit <= 0) {
  console.error('usage: node .ci/checkDesktopMemory.mjs <report.json> <limit in MiB>');
  process.exit(2);
}

let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.error(`No memory report to judge at ${file}: the app did not write one (${error.message}). Its own output above says why.`);
  process.exit(1);
}
if (!Array.isArray(report.processes) || typeof report.totalMiB !== 'number') {
  console.error(`${file} is not a memory report (no processes and totalMiB)`);
  process.exit(1);
}

for (const process_ of report.processes) {
  const name = process_.name ? ` (${process_.name})` : '';
  console.log(`${String(process_.workingSetMiB.toFixed(1)).padStart(8)} MiB  pid ${process_.pid}  ${process_.type}${name}`);
}
const summary = `buildbell used ${report.totalMiB.toFixed(1)} MiB in ${report.processes.length} processes after ${report.afterSeconds} s on ${report.platform}`;
if (report.totalMiB > limit) {
  console.error(`${summary}: above the ${limit} MiB limit`);
  process.exit(1);
}
console.log(`${summary}: within the ${limit} MiB limit`);
