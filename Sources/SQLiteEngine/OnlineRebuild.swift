import Foundation
import GRDB
import MigrationEngine
import SQLSyntax

/// A table rebuild that never holds the write lock for long (DESIGN.md section 6).
///
/// 1. **Prepare** (one short transaction): create the shadow table `_migrate_new_<t>` with
///    the new definition and all its indexes (under temporary names), and AFTER
///    INSERT/UPDATE/DELETE triggers on `<t>` that mirror every change into the shadow;
///    record the operation in `_migrate_online`.
/// 2. **Copy** in rowid order, in batches each in its own transaction, sized to a time
///    budget, with a pause after each so that application writers (whose busy handler
///    polls) get the lock; the position is saved with each batch.
/// 3. **Check** the shadow's foreign keys in a read transaction (no write lock).
/// 4. **Cut over** inside the migration's final transaction, at a cost that does not grow
///    with the table: drop the mirror triggers, rename `<t>` to `_migrate_old_<t>` and the
///    shadow to `<t>` with `legacy_alter_table=ON` (so views, triggers and other tables'
///    REFERENCES keep naming `<t>` and now mean the new table), give the shadow's indexes
///    their real names by editing `sqlite_schema` (SQLite has no RENAME INDEX; the
///    "simpler procedure" of https://www.sqlite.org/lang_altertable.html#otheralter,
///    followed by `PRAGMA writable_schema=RESET`), recreate the table's triggers and
///    carry the AUTOINCREMENT counter over.
/// 5. **Clean up** after the commit: delete the old rows in short batches, then drop the
///    empty old table.
///
/// A failure before the commit drops the triggers and the shadow (`abort`); the original
/// table was never touched. A crash leaves `_migrate_online` saying what to undo or finish.
struct OnlineRebuild: Sendable {
    let migrationID: String
    let version: Int
    let table: String
    let shadow: String
    let oldTable: String
    let rowsTotal: Int
    let createShadow: String
    /// Indexes of the new table: (temporary name, real name, CREATE INDEX on the shadow).
    let shadowIndexes: [(temporary: String, name: String, sql: String)]
    /// The old table's explicit indexes, renamed away at cut-over.
    let oldIndexes: [String]
    let columns: String
    let expressions: String
    let autoincrement: Bool
    /// How each statement of the group is described in plans.
    let summary: String

    static let triggerSuffixes = ["ins", "upd", "del"]

    var triggerNames: [String] { Self.triggerSuffixes.map { "_migrate_\(table)_\($0)" } }

    // MARK: Planning

    /// The rebuild of `table` that applies `changes` in order.
    static func plan(
        table: String, changes: [OnlineChange], migrationID: String, version: Int, rowsTotal: Int,
        db: Database, dialect: SQLiteDialect
    ) throws -> OnlineRebuild {
        let old = try SQLiteCatalog.createTable(db, table)
        let name = old.name.name
        var transform = TableTransform(identity: old, dialect: dialect)
        for change in changes {
            switch change {
            case .alter(let action): try transform.apply(action, dialect: dialect)
            case .index(let index): try transform.addIndex(index)
            }
        }
        let shadow = "_migrate_new_" + name
        var shadowTable = transform.table
        shadowTable.name = QualifiedName(name: shadow)
        shadowTable.ifNotExists = false

        var shadowIndexes: [(String, String, String)] = []
        var oldIndexes: [String] = []
        for object in try SQLiteCatalog.dependents(db, of: name) where object.type == "index" {
            oldIndexes.append(object.name)
            guard case .createIndex(let index)? = try? Parser.parse(object.sql).first?.statement,
                index.usedColumns.isDisjoint(with: transform.droppedColumns)
            else { continue }
            let temporary = "_migrate_new_" + object.name
            guard let sql = IndexSQL.retarget(object.sql, name: temporary, table: shadow) else {
                throw RebuildError("cannot read the definition of index \"\(object.name)\"")
            }
            shadowIndexes.append((temporary, object.name, sql))
        }
        for var index in transform.newIndexes {
            guard let indexName = index.name?.name else {
                throw RebuildError("an index built online needs a name: CREATE INDEX CONCURRENTLY <name> ON \(name) (...)")
            }
            if try Bool.fetchOne(db, sql: "SELECT count(*) > 0 FROM sqlite_schema WHERE name = ? COLLATE NOCASE", arguments: [indexName]) == true {
                if index.ifNotExists { continue }
                throw RebuildError("index \"\(indexName)\" already exists")
            }
            let temporary = "_migrate_new_" + indexName
            index.name = QualifiedName(name: temporary)
            index.table = QualifiedName(name: shadow)
            index.concurrently = false
            index.ifNotExists = false
            shadowIndexes.append((temporary, indexName, dialect.createIndex(index)))
        }

        let keepRowid = transform.table.rowidAlias(dialect) == nil
        let columns = (keepRowid ? ["rowid"] : []) + transform.copy.map { dialect.quote($0.column) }
        let expressions = (keepRowid ? ["rowid"] : []) + transform.copy.map(\.expression)
        return OnlineRebuild(
            migrationID: migrationID, version: version, table: name, shadow: shadow, oldTable: "_migrate_old_" + name,
            rowsTotal: rowsTotal, createShadow: dialect.rebuiltTable(shadowTable), shadowIndexes: shadowIndexes,
            oldIndexes: oldIndexes, columns: columns.joined(separator: ", "), expressions: expressions.joined(separator: ", "),
            autoincrement: transform.table.hasAutoincrement,
            summary: "-- online rebuild of \(dialect.quote(name)) (\(rowsTotal) rows): shadow table, mirror triggers, batched copy, O(1) cut-over")
    }

    // MARK: Steps

    /// Step 1, in one transaction: shadow, its indexes, mirror triggers, state record.
    func prepare(_ db: Database) throws -> OnlineState {
        let q = SQLIdentifier.quote
        try db.execute(sql: createShadow)
        for index in shadowIndexes { try db.execute(sql: index.sql) }
        let copyRow = "INSERT INTO \(q(shadow)) (\(columns)) SELECT \(expressions) FROM \(q(table)) WHERE rowid = NEW.rowid;"
        let names = triggerNames
        try db.execute(
            sql: """
                CREATE TRIGGER \(q(names[0])) AFTER INSERT ON \(q(table)) BEGIN
                  DELETE FROM \(q(shadow)) WHERE rowid = NEW.rowid;
                  \(copyRow)
                END;
                CREATE TRIGGER \(q(names[1])) AFTER UPDATE ON \(q(table)) BEGIN
                  DELETE FROM \(q(shadow)) WHERE rowid = OLD.rowid;
                  DELETE FROM \(q(shadow)) WHERE rowid = NEW.rowid;
                  \(copyRow)
                END;
                CREATE TRIGGER \(q(names[2])) AFTER DELETE ON \(q(table)) BEGIN
                  DELETE FROM \(q(shadow)) WHERE rowid = OLD.rowid;
                END;
                """)
        return try OnlineState.insert(db, version: version, tableName: table, shadow: shadow, oldTable: oldTable, rowsTotal: rowsTotal)
    }

    /// Step 2, one batch in one transaction: copies up to `limit` rows after `state.lastRowid`
    /// that the triggers have not already mirrored. Returns false when no rows are left.
    func copyBatch(_ db: Database, state: inout OnlineState, limit: Int) throws -> Bool {
        let q = SQLIdentifier.quote
        // Cached statements: compiling these three on every batch cost as much as copying
        // a few hundred rows.
        let next = try db.cachedStatement(
            sql: """
                SELECT max(rowid) FROM (SELECT rowid FROM \(q(table)) WHERE rowid > ? ORDER BY rowid LIMIT ?)
                """)
        guard let high = try Int64.fetchOne(next, arguments: [state.lastRowid, limit]) else { return false }
        // Rows the triggers already mirrored are skipped by their rowid only; any other
        // constraint of the new table (NOT NULL, CHECK, a new UNIQUE index) still fails the
        // batch. The upsert costs half what a NOT EXISTS lookup per row did.
        try db.cachedStatement(
            sql: """
                INSERT INTO \(q(shadow)) (\(columns))
                SELECT \(expressions) FROM \(q(table)) AS source
                WHERE source.rowid > ? AND source.rowid <= ?
                ON CONFLICT(rowid) DO NOTHING
                """
        ).execute(arguments: [state.lastRowid, high])
        state.rowsDone += db.changesCount
        state.lastRowid = high
        try state.save(db)
        return true
    }

    /// Step 3, read-only: the shadow's foreign keys hold.
    func checkForeignKeys(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check(\(SQLIdentifier.quote(shadow)))")
        if let first = rows.first {
            let parent: String = first[2]
            throw RebuildError(
                "foreign key check failed: \(rows.count) row\(rows.count == 1 ? "" : "s") of \(table) reference missing rows in \(parent)")
        }
    }

    /// Step 4, inside the migration's transaction (foreign keys already off).
    func cutOver(_ db: Database, state: inout OnlineState) throws {
        let q = SQLIdentifier.quote
        for trigger in triggerNames { try db.execute(sql: "DROP TRIGGER IF EXISTS \(q(trigger))") }
        let userTriggers = try SQLiteCatalog.dependents(db, of: table).filter { $0.type == "trigger" }
        for trigger in userTriggers { try db.execute(sql: "DROP TRIGGER \(q(trigger.name))") }
        let sequence = try SQLiteCatalog.sequence(db, table)

        try db.execute(sql: "PRAGMA legacy_alter_table = ON")
        defer { try? db.execute(sql: "PRAGMA legacy_alter_table = OFF") }
        try db.execute(sql: "ALTER TABLE \(q(table)) RENAME TO \(q(oldTable))")
        try db.execute(sql: "ALTER TABLE \(q(shadow)) RENAME TO \(q(table))")

        try db.execute(sql: "PRAGMA writable_schema = ON")
        do {
            for index in oldIndexes { try renameIndex(db, from: index, to: "_migrate_old_" + index) }
            for index in shadowIndexes { try renameIndex(db, from: index.temporary, to: index.name) }
            try db.execute(sql: "PRAGMA writable_schema = RESET")
            try db.execute(sql: "PRAGMA writable_schema = OFF")
        } catch {
            try? db.execute(sql: "PRAGMA writable_schema = OFF")
            throw error
        }
        for trigger in userTriggers { try db.execute(sql: trigger.sql) }
        if autoincrement, let sequence {
            try SQLiteCatalog.restoreSequence(db, table, atLeast: sequence)
        }
        state.phase = .cleanup
        state.rowsDone = 0
        try state.save(db)
    }

    private func renameIndex(_ db: Database, from: String, to: String) throws {
        guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", arguments: [from]),
            let renamed = IndexSQL.retarget(sql, name: to)
        else {
            throw RebuildError("cannot rename index \"\(from)\" during the cut-over")
        }
        try db.execute(sql: "UPDATE sqlite_schema SET name = ?, sql = ? WHERE type = 'index' AND name = ?", arguments: [to, renamed, from])
    }

    // MARK: Undo and cleanup (shared with crash recovery)

    /// Drops the mirror triggers of an unfinished rebuild, in one short transaction.
    static func dropTriggers(_ db: Database, table: String) throws {
        for suffix in triggerSuffixes {
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(SQLIdentifier.quote("_migrate_\(table)_\(suffix)"))")
        }
    }

    /// Deletes up to `limit` rows of `table` (an existing shadow or old table); returns how many.
    static func deleteBatch(_ db: Database, table: String, limit: Int) throws -> Int {
        let q = SQLIdentifier.quote(table)
        // A rowid range deletes whole table pages in order; no temporary list of rowids.
        let next = try db.cachedStatement(sql: "SELECT max(rowid) FROM (SELECT rowid FROM \(q) ORDER BY rowid LIMIT ?)")
        guard let high = try Int64.fetchOne(next, arguments: [limit]) else { return 0 }
        try db.cachedStatement(sql: "DELETE FROM \(q) WHERE rowid <= ?").execute(arguments: [high])
        return db.changesCount
    }

    /// Drops an emptied table, its AUTOINCREMENT entry, and the state record.
    static func dropEmptied(_ db: Database, table: String, state: OnlineState) throws {
        if try SQLiteCatalog.tableExists(db, table) {
            try db.execute(sql: "DROP TABLE \(SQLIdentifier.quote(table))")
        }
        if try SQLiteCatalog.tableExists(db, "sqlite_sequence") {
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = ?", arguments: [table])
        }
        try state.delete(db)
    }
}

/// One change folded into an online rebuild.
enum OnlineChange: Sendable {
    case alter(AlterTableAction)
    case index(CreateIndex)
}
