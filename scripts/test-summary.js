// Prints the plain closing line CI reads ("N passed, N failed") from Jest's JSON results.
const r = require('../.data/jest-results.json');
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
