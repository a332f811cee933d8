'use strict';
// meltcheck for CommonJS wallet projects: `require('meltcheck')` without require(esm). defineAdapter is the
// identity (all an adapter needs at load time); the rest of the API loads the ES module on first call.
const load = () => import('../dist/src/index.js');

/** Identity with type checking: `module.exports = defineAdapter({...})`. */
exports.defineAdapter = (adapter) => adapter;
exports.certify = async (options) => (await load()).certify(options);
exports.replay = async (report, failureId, options) => (await load()).replay(report, failureId, options);
exports.mergeReports = async (sources, options) => (await load()).mergeReports(sources, options);
exports.loadReport = async (path) => (await load()).loadReport(path);
exports.exitCodeOf = (verdict) => ({ pass: 0, fail: 1, inconclusive: 3 })[verdict] ?? 1;
