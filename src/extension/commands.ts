/**
 * Every command id the extension registers, in one place, so a rename is one edit and a typo a type error.
 * package.json contributes exactly the ids in COMMANDS (test/unit/extension/commands.test.ts checks both ways);
 * INTERNAL_COMMANDS are reached only through `command:` links in a webview and stay out of the palette.
 * Pure (no vscode import) so the webview-free unit tests can read it.
 */
export const COMMANDS = {
  ask: 'hopscope.ask',
  askInline: 'hopscope.askInline',
  runEvaluation: 'hopscope.runEvaluation',
  forkFromStep: 'hopscope.forkFromStep',

  openTraceFile: 'hopscope.openTraceFile',
  compareTrajectories: 'hopscope.compareTrajectories',
  showRunSummary: 'hopscope.showRunSummary',
  showTrajectoriesTable: 'hopscope.showTrajectoriesTable',
  tracesOpen: 'hopscope.traces.open',
  tracesShowMore: 'hopscope.traces.showMore',
  tracesRefresh: 'hopscope.traces.refresh',
  tracesFilter: 'hopscope.traces.filter',
  tracesClearFilter: 'hopscope.traces.clearFilter',
  tracesSort: 'hopscope.traces.sort',
  tracesCloseFile: 'hopscope.traces.closeFile',

  openTrainingRun: 'hopscope.openTrainingRun',
  runsClose: 'hopscope.runs.close',

  importTrajectories: 'hopscope.importTrajectories',
  exportTraces: 'hopscope.exportTraces',
  sendTraces: 'hopscope.sendTraces',

  inlineCancel: 'hopscope.inline.cancel',
  inlineReask: 'hopscope.inline.reask',
  inlineClear: 'hopscope.inline.clear',
  inlineClearAll: 'hopscope.inline.clearAll',
  inlineOpenTrace: 'hopscope.inline.openTrace',
  inlineOpenSource: 'hopscope.inline.openSource',

  indexWorkspace: 'hopscope.indexWorkspace',
  reindexWorkspace: 'hopscope.reindexWorkspace',
  cancelIndexing: 'hopscope.cancelIndexing',

  setApiKey: 'hopscope.setApiKey',
  testConnection: 'hopscope.testConnection',
  showLog: 'hopscope.showLog',
} as const;

/** Commands behind `command:` links only (the run summary's trajectory links): registered, never contributed. */
export const INTERNAL_COMMANDS = {
  runSummaryOpenTrajectory: 'hopscope.runSummary.openTrajectory',
  /** A Runs view item's click: the run's dashboard. */
  runsShowDashboard: 'hopscope.runs.showDashboard',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS] | (typeof INTERNAL_COMMANDS)[keyof typeof INTERNAL_COMMANDS];
