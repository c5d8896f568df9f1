/** The table and summary line `yarn bench catalog-models` prints. */

export interface CatalogModelsReport {
  claimers: number;
  models: number;
  apis: number;
  pageSize: number;
  schedule: { timeoutMs: number };
  passMs: { p50: number; max: number; all: number[] };
  mlflowCallsPerPass: number[];
  kubeCallsPerPass: number[];
  catalogCallsPerPass: number[];
  pages: number;
  largestMutation: number;
  peakHeapGrowthMb: { p50: number; max: number };
  liveHeapPerPageMb: number[];
  retainedAfterPassMb: number;
  largestPageJsonKb: number;
  warnings: number;
  loadAverage: string;
}

/** Prints the report; returns whether every pass fit in the schedule timeout. */
export function printCatalogModelsReport(report: CatalogModelsReport): boolean {
  const { timeoutMs } = report.schedule;
  const last = report.passMs.all.length - 1;
  const fits = report.passMs.max <= timeoutMs;
  console.table({
    'pass (p50)': {
      value: `${report.passMs.p50} ms`,
      bound: `${timeoutMs} ms (schedule timeout)`,
    },
    'pass (max)': {
      value: `${report.passMs.max} ms`,
      bound: fits ? 'fits' : 'EXCEEDS',
    },
    'MLflow calls / pass': {
      value: report.mlflowCallsPerPass[last],
      bound: '',
    },
    'API server calls / pass': {
      value: report.kubeCallsPerPass[last],
      bound: '',
    },
    'catalog calls / pass': {
      value: report.catalogCallsPerPass.join(', '),
      bound: '',
    },
    pages: { value: report.pages, bound: `${report.pageSize} claimers a page` },
    'largest mutation': {
      value: report.largestMutation,
      bound: 'entities of one page',
    },
    'peak heap growth': {
      value: `${report.peakHeapGrowthMb.max} MB`,
      bound: `p50 ${report.peakHeapGrowthMb.p50} MB`,
    },
    'live heap per page': {
      value: `${report.liveHeapPerPageMb.join(' ')} MB`,
      bound: `a page's entities ${report.largestPageJsonKb} KB of JSON`,
    },
    'retained after pass': {
      value: `${report.retainedAfterPassMb} MB`,
      bound: '',
    },
  });
  console.log(
    `${report.claimers} claimers, ${report.models} models, ${
      report.apis
    } serving APIs; passes ${report.passMs.all.join(', ')} ms; load ${
      report.loadAverage
    }; ${report.warnings} warnings`,
  );
  return fits;
}
