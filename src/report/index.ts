export { EXIT_DELETES, planReportCommand, PLAN_REPORT_USAGE, type CommandIo } from "./command";
export { renderMarkdown, countsLine } from "./markdown";
export { parsePlanJson, PlanInputError, type PlanJson } from "./plan-json";
export {
  planChanges,
  deletesSomething,
  type SecretChange,
  type SecretAction,
  type PlanChanges,
} from "./secret-changes";
