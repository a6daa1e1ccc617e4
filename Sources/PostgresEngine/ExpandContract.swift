import SQLSyntax
import SchemaModel

/// A type change PostgreSQL would do by rewriting the table under ACCESS EXCLUSIVE, done
/// online instead (expand/contract, as pgroll does):
/// 1. expand: a new nullable column of the new type, and a trigger that fills it from the
///    old column (through the USING expression) on every INSERT and UPDATE;
/// 2. backfill the existing rows in primary-key order, in short transactions;
/// 3. build the column's indexes again on the new column, concurrently; NOT NULL through a
///    check added in step 1 and validated now;
/// 4. swap, in one short transaction: drop the old column (and its indexes), rename the new
///    one, drop the trigger, rename the indexes, NOT NULL, the default.
/// The backfill fires none of the application's triggers (`session_replication_role =
/// replica` in its transactions; refused when the role may not set it and the table has
/// update triggers). The column moves to the end of the table. Fault points for tests: `after-expand`,
/// `mid-backfill`, `before-swap`, `swap`.
struct ExpandContract {
    /// The catalog as the statement finds it.
    let facts: CatalogFacts
    let dialect: PostgresDialect
    /// Rows per backfill transaction.
    var batchRows = 1000
    /// Swap in the migration's last transaction (later statements commit on their own and
    /// do not use the column), so that until then a failure can undo everything.
    var swapsAtEnd = false

    enum Outcome {
        case steps([PostgresStep])
        /// Why it cannot be done online; the change then runs as PostgreSQL's rewrite.
        case unsupported(String)
        /// It cannot be done without changing what the migration does not name: say why.
        case refused(String)
    }

    /// Thrown by the strategy chooser for `Outcome.refused`.
    struct Refusal: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    func steps(table: QualifiedName, column: String, type: DataType, using: Expr?) -> Outcome {
        guard let facts = self.facts.columnFacts(table, column) else { return .unsupported("no such column") }
        if facts.partitioned { return .unsupported("partitioned table") }
        if facts.generated { return .unsupported("generated column") }
        guard let key = facts.primaryKey, key != column else { return .unsupported("no one-column primary key to walk the table by") }
        if facts.constraintCount > 0 { return .unsupported("the column is in a key, check or foreign key") }
        if facts.dependentViews > 0 { return .unsupported("a view uses the column") }

        // The backfill's UPDATEs must fire none of the application's triggers (a
        // `last_update = now()` or an audit row per row): they run as a replica session,
        // which skips every trigger not ENABLE ALWAYS.
        let triggers = self.facts.triggers(table)
        if !triggers.isEmpty, !self.facts.maySkipTriggers {
            return .refused(
                """
                the online type change of \(table).\(column) backfills every row, which would fire the table's \
                update trigger\(triggers.count == 1 ? "" : "s") \(triggers.joined(separator: ", ")); the migration's role \
                cannot SET session_replication_role to skip them: GRANT SET ON PARAMETER session_replication_role \
                TO the role (PostgreSQL 15+) or run the migration as a superuser
                """)
        }

        let t = dialect.quote(table)
        let c = dialect.quote(column)
        let k = dialect.quote(key)
        let newColumn = PostgresStrategyChooser.truncated("_migrate_new_\(column)")
        let n = dialect.quote(newColumn)
        let syncName = PostgresStrategyChooser.truncated("_migrate_sync_\(table.name)_\(column)")
        let function = dialect.quote(QualifiedName(schema: table.schema, name: syncName)) + "()"
        let trigger = dialect.quote(syncName)
        let target = dialect.render(type)
        let forRow = expression(using, column: column, columns: facts.columns, prefix: "NEW.", target: target)
        let forTable = expression(using, column: column, columns: facts.columns, prefix: "", target: target)

        var steps = [
            PostgresStep(
                "ALTER TABLE \(t) ADD COLUMN \(n) \(target)", undo: [PostgresStep("ALTER TABLE \(t) DROP COLUMN IF EXISTS \(n)", undo: nil)]),
            PostgresStep(
                """
                CREATE FUNCTION \(function) RETURNS trigger LANGUAGE plpgsql AS $migrate$
                BEGIN NEW.\(n) := \(forRow); RETURN NEW; END
                $migrate$
                """, undo: [PostgresStep("DROP FUNCTION IF EXISTS \(function)", undo: nil)]),
            PostgresStep(
                "CREATE TRIGGER \(trigger) BEFORE INSERT OR UPDATE ON \(t) FOR EACH ROW EXECUTE FUNCTION \(function)",
                undo: [PostgresStep("DROP TRIGGER IF EXISTS \(trigger) ON \(t)", undo: nil)]),
            // Writes that arrive as a replica (logical replication) are synced too.
            PostgresStep("ALTER TABLE \(t) ENABLE ALWAYS TRIGGER \(trigger)", undo: []),
        ]
        // NOT NULL's check is added with the column, while the table's strong lock is held
        // anyway: after the backfill only its validation (a weak lock) is left.
        let check = dialect.quote(PostgresStrategyChooser.truncated("_migrate_nn_\(table.name)_\(column)"))
        if facts.notNull {
            steps.append(
                PostgresStep(
                    "ALTER TABLE \(t) ADD CONSTRAINT \(check) CHECK (\(n) IS NOT NULL) NOT VALID",
                    undo: [PostgresStep("ALTER TABLE \(t) DROP CONSTRAINT IF EXISTS \(check)", undo: nil)]))
        }
        var backfill = PostgresStep(
            """
            WITH batch AS (
              SELECT \(k) AS _migrate_key FROM \(t) WHERE ({after} IS NULL OR \(k) > {after}) ORDER BY \(k) LIMIT \(batchRows)
            ), done AS (
              UPDATE \(t) SET \(n) = \(forTable) FROM batch WHERE \(t).\(k) = batch._migrate_key RETURNING batch._migrate_key
            ) SELECT count(*)::text, (SELECT d._migrate_key FROM done d ORDER BY d._migrate_key DESC LIMIT 1)::text FROM done
            """, .batches, undo: [], faultPoint: "after-expand")
        backfill.midFaultPoint = "mid-backfill"
        backfill.skipsTriggers = !triggers.isEmpty
        steps.append(backfill)

        var renames: [PostgresStep] = []
        for index in facts.indexes {
            let temporary = PostgresStrategyChooser.truncated("_migrate_\(index.name)")
            guard let definition = Self.rebuilt(index.definition, renamedTo: temporary, column: column, newColumn: newColumn) else {
                return .unsupported("cannot rebuild index \(index.name)")
            }
            let drop = "DROP INDEX CONCURRENTLY IF EXISTS \(dialect.quote(temporary))"
            var build = PostgresStep(definition, .autocommit, undo: [PostgresStep(drop, .autocommit, undo: nil)], onFailure: [drop])
            build.buildsIndex = (QualifiedName(schema: table.schema, name: temporary), false)
            steps.append(build)
            renames.append(PostgresStep("ALTER INDEX \(dialect.quote(temporary)) RENAME TO \(dialect.quote(index.name))", undo: []))
            // An index key on the plain column took the new column's name: give it the old
            // one back (an expression key has a name of its own).
            let rebuiltIndex = dialect.quote(QualifiedName(schema: table.schema, name: index.name))
            renames.append(
                PostgresStep(
                    """
                    DO $migrate$ BEGIN
                      IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = to_regclass(\(PostgresSQL.literal(rebuiltIndex))) AND attname = \(PostgresSQL.literal(newColumn))) THEN
                        ALTER TABLE \(rebuiltIndex) RENAME COLUMN \(n) TO \(c);
                      END IF;
                    END $migrate$
                    """, undo: []))
        }
        if facts.notNull {
            steps.append(PostgresStep("ALTER TABLE \(t) VALIDATE CONSTRAINT \(check)", .ownTransaction, undo: [], weakLock: true))
        }

        // The swap: one short transaction (the migration's last one when `swapsAtEnd`).
        var swap = [PostgresStep("ALTER TABLE \(t) DROP COLUMN \(c)", undo: nil, faultPoint: "before-swap")]
        swap.append(PostgresStep("ALTER TABLE \(t) RENAME COLUMN \(n) TO \(c)", undo: []))
        swap.append(PostgresStep("DROP TRIGGER \(trigger) ON \(t)", undo: []))
        swap.append(PostgresStep("DROP FUNCTION \(function)", undo: [], faultPoint: "swap"))
        swap += renames
        if facts.notNull {
            swap.append(PostgresStep("ALTER TABLE \(t) ALTER COLUMN \(c) SET NOT NULL", undo: []))
            swap.append(PostgresStep("ALTER TABLE \(t) DROP CONSTRAINT \(check)", undo: []))
        }
        if let value = facts.defaultValue {
            swap.append(PostgresStep("ALTER TABLE \(t) ALTER COLUMN \(c) SET DEFAULT \(value)", undo: []))
        }
        if swapsAtEnd {
            for i in swap.indices { swap[i].mode = .atEnd }
        }
        return .steps(steps + swap)
    }

    /// The USING expression (or a cast of the column) with the table's column names
    /// prefixed (`NEW.` in the trigger).
    private func expression(_ using: Expr?, column: String, columns: [String], prefix: String, target: String) -> String {
        guard let using else { return "CAST(\(prefix)\(dialect.quote(column)) AS \(target))" }
        let names = Set(columns)
        var tokens = using.tokens
        for i in tokens.indices {
            guard let name = tokens[i].identifierValue, names.contains(name) else { continue }
            let afterDot = i > 0 && (tokens[i - 1].isSymbol(".") || tokens[i - 1].isSymbol("::"))
            let isCall = i + 1 < tokens.count && tokens[i + 1].isSymbol("(")
            if !afterDot && !isCall {
                tokens[i].text = prefix + dialect.quote(name)
            }
        }
        return "(" + Expr.join(tokens) + ")"
    }

    /// `CREATE [UNIQUE] INDEX name ON t USING m (col ...)` as `pg_get_indexdef` prints it,
    /// named `temporary`, on `newColumn`, built concurrently.
    static func rebuilt(_ definition: String, renamedTo temporary: String, column: String, newColumn: String) -> String? {
        guard var tokens = try? Lexer.tokenize(definition),
            let index = tokens.firstIndex(where: { $0.isWord("INDEX") }), index + 1 < tokens.count,
            let on = tokens.firstIndex(where: { $0.isWord("ON") })
        else { return nil }
        tokens[index + 1].text = SQLIdentifier.quote(temporary)
        for i in (on + 2)..<tokens.count where tokens[i].identifierValue == column {
            let afterDot = tokens[i - 1].isSymbol(".")
            let isCall = i + 1 < tokens.count && tokens[i + 1].isSymbol("(")
            if !afterDot && !isCall { tokens[i].text = SQLIdentifier.quote(newColumn) }
        }
        return PostgresStrategyChooser.concurrently(Expr.join(tokens))
    }
}
