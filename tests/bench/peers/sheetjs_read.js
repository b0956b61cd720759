// Reads every cell of the first sheet with SheetJS (the npm package `xlsx`),
// dates as dates, in dense mode.
//
//   node sheetjs_read.js FILE.xlsx
//
// Prints rows=, cells=, dates=, total_s= and version=.
const XLSX = require("xlsx");

const t0 = process.hrtime.bigint();
const wb = XLSX.readFile(process.argv[2], { dense: true, cellDates: true });
const ws = wb.Sheets[wb.SheetNames[0]];
let rows = 0, cells = 0, dates = 0;
// dense sheets are arrays of rows (0.18) or keep them in "!data" (0.19 on)
const data = ws["!data"] || (Array.isArray(ws) ? ws : null);
if (!data) throw new Error("the sheet was not read in dense mode");
for (const row of data) {
  if (!row) continue;
  rows++;
  for (const c of row) {
    if (!c || c.t === "z") continue;
    cells++;
    if (c.t === "d") dates++;
  }
}
const t = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`rows=${rows}\ncells=${cells}\ndates=${dates}\ntotal_s=${t.toFixed(4)}\nversion=${XLSX.version}`);
