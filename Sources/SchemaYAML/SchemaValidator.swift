import SchemaModel

/// Checks that the merged desired state refers only to things it defines: index, key
/// and foreign key columns exist, foreign keys point at existing tables and columns.
struct SchemaValidator {
    let schema: Schema
    let sources: SchemaSources

    func validate() throws {
        let tables = Dictionary(schema.tables.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        for table in schema.tables {
            let here = sources.location(table.name) ?? SchemaLocation(file: "schema", line: 1, column: 1)
            if let key = table.primaryKey {
                try requireColumns(key.columns, in: table, what: "primary key", at: sources.location("\(table.name).primary_key") ?? here)
            }
            for unique in table.uniques {
                try requireColumns(
                    unique.columns, in: table, what: "unique constraint", at: sources.location("\(table.name).unique.\(unique.name ?? "")") ?? here)
            }
            for index in table.indexes {
                for (n, key) in index.keys.enumerated() {
                    guard let column = key.column else { continue }
                    let at =
                        sources.location("\(table.name).index.\(index.name).\(n)") ?? sources.location("\(table.name).index.\(index.name)") ?? here
                    try requireColumns([column], in: table, what: "index \(index.name)", at: at)
                }
            }
            for (n, key) in table.foreignKeys.enumerated() {
                let at = sources.location("\(table.name).fk.\(key.name ?? String(n))") ?? here
                let what = "foreign key \(key.name ?? key.columns.joined(separator: ", "))"
                try requireColumns(key.columns, in: table, what: what, at: at)
                guard let target = tables[key.referencedTable.lowercased()] else {
                    let hint =
                        DidYouMean.suggestion(for: key.referencedTable, among: schema.tables.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                    throw SchemaError(at, "\(what) references table \(key.referencedTable), which is not defined\(hint)")
                }
                if key.referencedColumns.isEmpty {
                    guard target.primaryKey != nil else {
                        throw SchemaError(at, "\(what) references \(target.name), which has no primary key; name the referenced columns")
                    }
                } else {
                    try requireColumns(key.referencedColumns, in: target, what: what, at: at)
                }
                let count = key.referencedColumns.isEmpty ? target.primaryKey?.columns.count ?? 0 : key.referencedColumns.count
                if count != key.columns.count {
                    throw SchemaError(at, "\(what) has \(key.columns.count) column(s) but references \(count)")
                }
            }
        }
    }

    private func requireColumns(_ columns: [String], in table: Table, what: String, at location: SchemaLocation) throws {
        for column in columns where table.columnIndex(column) == nil {
            let hint = DidYouMean.suggestion(for: column, among: table.columns.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
            throw SchemaError(location, "\(what): column \(column) does not exist in table \(table.name)\(hint)")
        }
    }
}
