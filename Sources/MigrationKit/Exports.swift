// Library users see the engine-neutral types (HistoryRecord, StatementPlan, MigrationDirection).
@_exported import MigrationEngine
