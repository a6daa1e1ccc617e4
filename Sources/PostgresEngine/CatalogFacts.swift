import SQLSyntax

/// What the strategy chooser knows of the catalog for one statement: a value, read by
/// `PostgresCatalog.facts(for:minimumRows:)` just before the statement runs (inside the
/// migration's open transaction, so it sees what the statements before it did), or built
/// by hand in unit tests. Whatever it does not hold reads as absent.
struct CatalogFacts: Sendable {
    /// A column as `pg_attribute` has it.
    struct Column: Sendable, Hashable {
        /// `format_type`: `character varying(255)`, `numeric(10,2)`.
        var type: String
        var notNull: Bool
        /// `pg_get_expr` of the default.
        var defaultValue: String?
    }

    /// Tables (and other relations) that exist, by `key`.
    var relations: Set<String> = []
    /// Columns by table `key`, then by name.
    var columns: [String: [String: Column]] = [:]
    /// `pg_get_constraintdef` by table `key`, then constraint name.
    var constraints: [String: [String: String]] = [:]
    /// `pg_get_indexdef` by index `key`.
    var indexes: [String: String] = [:]
    /// Lowercased constraint and relation names taken in a table's schema, by table `key`.
    var takenNames: [String: Set<String>] = [:]
    /// `provolatile` (`v`, `s`, `i`) of functions by lowercased name.
    var volatility: [String: Character] = [:]
    /// Tables with at least the chooser's `minimumRows` rows, by `key`.
    var largeTables: Set<String> = []
    /// What an expand/contract type change needs, by `key(table, column)`.
    var expandContract: [String: PostgresCatalog.ColumnFacts] = [:]
    /// The application's update triggers (`name (BEFORE UPDATE)`), by table `key`.
    var updateTriggers: [String: [String]] = [:]
    /// Whether the session may `SET session_replication_role`.
    var maySkipTriggers = false
    /// The direct partitions of each partitioned table, by `key`, each with whether it is
    /// partitioned in turn.
    var partitions: [String: [(name: QualifiedName, partitioned: Bool)]] = [:]
    /// Partitioned indexes (built on a partitioned table), by `key`.
    var partitionedIndexes: Set<String> = []

    static func key(_ name: QualifiedName) -> String { (name.schema ?? "") + "." + name.name }
    static func key(_ table: QualifiedName, _ column: String) -> String { key(table) + "." + column }

    func tableExists(_ table: QualifiedName) -> Bool { relations.contains(Self.key(table)) }
    func column(_ table: QualifiedName, _ name: String) -> Column? { columns[Self.key(table)]?[name] }
    func columnExists(_ table: QualifiedName, _ name: String) -> Bool { column(table, name) != nil }
    func isNotNull(_ table: QualifiedName, _ name: String) -> Bool { column(table, name)?.notNull ?? false }
    func indexDefinition(_ index: QualifiedName) -> String? { indexes[Self.key(index)] }
    func constraintDefinition(_ table: QualifiedName, _ name: String) -> String? { constraints[Self.key(table)]?[name] }
    func taken(near table: QualifiedName) -> Set<String> { takenNames[Self.key(table)] ?? [] }
    func isLarge(_ table: QualifiedName) -> Bool { largeTables.contains(Self.key(table)) }
    func columnFacts(_ table: QualifiedName, _ column: String) -> PostgresCatalog.ColumnFacts? { expandContract[Self.key(table, column)] }
    func triggers(_ table: QualifiedName) -> [String] { updateTriggers[Self.key(table)] ?? [] }
    /// The direct partitions of `table`; nil when it is not partitioned.
    func partitions(of table: QualifiedName) -> [(name: QualifiedName, partitioned: Bool)]? { partitions[Self.key(table)] }
    func isPartitionedIndex(_ index: QualifiedName) -> Bool { partitionedIndexes.contains(Self.key(index)) }

    /// The most volatile of the functions `names`, or nil when none is known.
    func volatility(ofFunctions names: [String]) -> Character? {
        let found = names.compactMap { volatility[$0.lowercased()] }
        if found.contains("v") { return "v" }
        if found.contains("s") { return "s" }
        return found.isEmpty ? nil : "i"
    }

    /// The names called as functions in `expression` (`now` in `now()`).
    static func functionNames(in expression: Expr) -> [String] {
        let tokens = expression.tokens
        var functions: [String] = []
        for (i, token) in tokens.enumerated() where token.kind == .word && i + 1 < tokens.count && tokens[i + 1].isSymbol("(") {
            functions.append(token.text)
        }
        return functions
    }
}
