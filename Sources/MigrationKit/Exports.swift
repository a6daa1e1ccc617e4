// Library users see the engine-neutral types (HistoryRecord, StatementPlan, MigrationDirection).
@_exported import MigrationEngine
// ... and the planner's and model's types that `plan`, `check` and `inspect` return.
@_exported import SchemaDiff
@_exported import SchemaModel
