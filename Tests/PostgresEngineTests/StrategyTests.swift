import Foundation
import SQLSyntax
import SchemaDiff
import SchemaModel
import Testing

@testable import PostgresEngine

/// The PostgreSQL strategies as data, without a server: a statement and the catalog facts
/// it finds in, the SQL each step runs (with its mode) and what undoes it out.
@Suite struct StrategyTests {
    static let users = QualifiedName(name: "users")

    /// `users (id integer primary key, email varchar(100), status text default 'active', org_id integer)`,
    /// 50,000 rows, no triggers.
    static func facts(large: Bool = true, triggers: [String] = [], maySkipTriggers: Bool = false) -> CatalogFacts {
        var facts = CatalogFacts()
        let key = CatalogFacts.key(users)
        facts.relations = [key, CatalogFacts.key(QualifiedName(name: "orders"))]
        facts.columns[key] = [
            "id": .init(type: "integer", notNull: true, defaultValue: nil),
            "email": .init(type: "character varying(100)", notNull: false, defaultValue: nil),
            "status": .init(type: "text", notNull: true, defaultValue: "'active'::text"),
            "org_id": .init(type: "integer", notNull: false, defaultValue: nil),
        ]
        facts.constraints[key] = ["users_org_fk": "FOREIGN KEY (org_id) REFERENCES orgs(id)"]
        facts.indexes[CatalogFacts.key(QualifiedName(name: "users_email_idx"))] = "CREATE INDEX users_email_idx ON public.users USING btree (email)"
        facts.takenNames[key] = ["users", "users_pkey", "users_email_key"]
        facts.volatility = ["now": "s", "random": "v", "gen_random_uuid": "v"]
        if large { facts.largeTables = [key] }
        facts.expandContract[CatalogFacts.key(users, "org_id")] = PostgresCatalog.ColumnFacts(
            notNull: false, defaultValue: nil, generated: false, primaryKey: "id", constraintCount: 0, dependentViews: 0, partitioned: false,
            indexes: [(name: "users_org_idx", definition: "CREATE INDEX users_org_idx ON public.users USING btree (org_id)")],
            columns: ["id", "email", "status", "org_id"])
        facts.expandContract[CatalogFacts.key(users, "id")] = PostgresCatalog.ColumnFacts(
            notNull: true, defaultValue: nil, generated: false, primaryKey: "id", constraintCount: 1, dependentViews: 0, partitioned: false,
            indexes: [], columns: ["id", "email", "status", "org_id"])
        facts.updateTriggers[key] = triggers
        facts.maySkipTriggers = maySkipTriggers
        return facts
    }

    /// The strategy, its lock, and each step as `[mode] sql`, with its undo indented.
    static func run(_ sql: String, facts: CatalogFacts = facts(), commitsLater: Bool = false, laterNames: Set<String> = []) throws -> String {
        let statement = try Parser.parse(sql)[0].statement
        let strategy = try PostgresStrategyChooser(facts: facts, dialect: PostgresDialect(), minimumRows: 10_000)
            .choose(statement, commitsLater: commitsLater, laterNames: laterNames)
        var lines = ["\(strategy.strategy.rawValue): \(strategy.lock)"]
        for step in strategy.steps {
            lines.append("[\(step.mode)\(step.skipsTriggers ? ", as replica" : "")] \(step.sql)")
            switch step.undo {
            case nil: lines.append("  undo: cannot be undone")
            case let undo? where undo.isEmpty: lines.append("  undo: nothing to undo")
            case let undo?: lines += undo.map { "  undo [\($0.mode)] \($0.sql)" }
            }
        }
        return lines.joined(separator: "\n")
    }

    static let cases: [(String, String)] = [
        ("create table", "CREATE TABLE t (id integer PRIMARY KEY)"),
        ("drop table", "DROP TABLE users"),
        ("truncate", "TRUNCATE users"),
        ("create index", "CREATE INDEX i ON users (email)"),
        ("create index concurrently", "CREATE INDEX CONCURRENTLY i ON users (email)"),
        ("drop index concurrently", "DROP INDEX CONCURRENTLY users_email_idx"),
        ("pass-through", "VACUUM users"),
        ("rename table", "ALTER TABLE users RENAME TO people"),
        ("rename column", "ALTER TABLE users RENAME COLUMN email TO mail"),
        ("add column", "ALTER TABLE users ADD COLUMN note text DEFAULT 'x'"),
        ("add column with a volatile default", "ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()"),
        ("add column if not exists", "ALTER TABLE users ADD COLUMN IF NOT EXISTS email text"),
        ("drop column", "ALTER TABLE users DROP COLUMN email"),
        ("type change in place", "ALTER TABLE users ALTER COLUMN email TYPE varchar(200)"),
        ("type change expand/contract", "ALTER TABLE users ALTER COLUMN org_id TYPE bigint"),
        ("type change unsupported online", "ALTER TABLE users ALTER COLUMN id TYPE bigint"),
        ("set default", "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'new'"),
        ("drop default", "ALTER TABLE users ALTER COLUMN status DROP DEFAULT"),
        ("set not null", "ALTER TABLE users ALTER COLUMN email SET NOT NULL"),
        ("set not null already", "ALTER TABLE users ALTER COLUMN id SET NOT NULL"),
        ("drop not null", "ALTER TABLE users ALTER COLUMN status DROP NOT NULL"),
        ("add foreign key", "ALTER TABLE users ADD FOREIGN KEY (org_id) REFERENCES orgs (id)"),
        ("add check not valid", "ALTER TABLE users ADD CONSTRAINT c CHECK (id > 0) NOT VALID"),
        ("add unique", "ALTER TABLE users ADD UNIQUE (email)"),
        ("add primary key", "ALTER TABLE users ADD CONSTRAINT users_pk PRIMARY KEY (email)"),
        ("drop constraint", "ALTER TABLE users DROP CONSTRAINT users_org_fk"),
        ("validate constraint", "ALTER TABLE users VALIDATE CONSTRAINT c"),
        ("add unique using index", "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key"),
        ("add primary key using index", "ALTER TABLE users ADD CONSTRAINT users_pk PRIMARY KEY USING INDEX users_pk"),
        ("set lock_timeout", "SET lock_timeout = '50ms'"),
    ]

    static let variants: [(String, String, CatalogFacts, Bool)] = [
        ("drop table, a later step commits", "DROP TABLE users", facts(), true),
        ("drop column, a later step commits", "ALTER TABLE users DROP COLUMN status", facts(), true),
        ("type change, small table", "ALTER TABLE users ALTER COLUMN org_id TYPE bigint", facts(large: false), false),
        ("type change, swap at end", "ALTER TABLE users ALTER COLUMN org_id TYPE bigint", facts(), true),
        (
            "type change, triggers skipped", "ALTER TABLE users ALTER COLUMN org_id TYPE bigint",
            facts(triggers: ["audit (AFTER UPDATE)"], maySkipTriggers: true), false
        ),
    ]

    /// Every case, rendered, against `Strategies.golden` beside this file. After a change
    /// to a strategy, review the new SQL and write it with `MIGRATE_UPDATE_GOLDEN=1`.
    @Test func everyStrategyMatchesItsGoldenSQL() throws {
        var text = ""
        for (name, sql) in Self.cases { text += "=== \(name): \(sql)\n\(try Self.run(sql))\n\n" }
        for (name, sql, facts, later) in Self.variants { text += "=== \(name): \(sql)\n\(try Self.run(sql, facts: facts, commitsLater: later))\n\n" }
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Strategies.golden")
        if ProcessInfo.processInfo.environment["MIGRATE_UPDATE_GOLDEN"] != nil {
            try text.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        for (line, (want, got)) in zip(expected.components(separatedBy: "\n"), text.components(separatedBy: "\n")).enumerated() where want != got {
            Issue.record("Strategies.golden:\(line + 1): expected\n\(want)\ngot\n\(got)")
            break
        }
        #expect(expected == text)
    }

    /// A type change whose backfill would fire the application's triggers is refused
    /// when the role cannot skip them.
    @Test func backfillThatWouldFireTriggersIsRefused() {
        #expect(throws: ExpandContract.Refusal.self) {
            try Self.run("ALTER TABLE users ALTER COLUMN org_id TYPE bigint", facts: Self.facts(triggers: ["audit (AFTER UPDATE)"]))
        }
    }

    /// `commitsLater` is computed once per migration, from the end.
    @Test func commitsAfterLooksOnlyAtLaterStatements() throws {
        let statements = try Parser.parse(
            """
            DROP TABLE a;
            CREATE INDEX CONCURRENTLY i ON b (x);
            DROP TABLE c;
            """)
        #expect(PostgresStrategyChooser.commitsAfter(statements) == [true, false, false])
    }
}
