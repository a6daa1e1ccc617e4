import SQLSyntax
import SchemaDiff
import SchemaModel

/// An engine that rebuilds the table for every ALTER but renames (as SQLite does), with no
/// rules of its own.
struct RebuildingEngine: EngineCapabilities {
    var displayName: String { "rebuilding" }
    func rebuildsTable(_ action: AlterTableAction) -> Bool {
        switch action {
        case .renameTable, .renameColumn, .validateConstraint: false
        case .addColumn(let column, _): column.isNotNull && column.defaultValue == nil
        default: true
        }
    }
    func typeChangeRewrites(from old: DataType?, to new: DataType) -> Bool { true }
    var lintRules: [any LintRule] { [] }
}

/// An engine that edits the catalog in place (as PostgreSQL does) and rewrites only for a
/// change of type family.
struct InPlaceEngine: EngineCapabilities {
    var displayName: String { "in place" }
    func rebuildsTable(_ action: AlterTableAction) -> Bool { false }
    func typeChangeRewrites(from old: DataType?, to new: DataType) -> Bool { old?.portable != new.portable }
    var lintRules: [any LintRule] { [] }
}

/// `InPlaceEngine` that writes its own online forms into planned files and opens them
/// with a lock timeout, as PostgreSQL does.
struct SpelledOutEngine: EngineCapabilities {
    var displayName: String { "spelled out" }
    func rebuildsTable(_ action: AlterTableAction) -> Bool { false }
    func typeChangeRewrites(from old: DataType?, to new: DataType) -> Bool { old?.portable != new.portable }
    var lintRules: [any LintRule] { [] }
    var writesOnlineForms: Bool { true }
    var lockTimeoutStatement: String? { "SET lock_timeout = '50ms'" }
}
