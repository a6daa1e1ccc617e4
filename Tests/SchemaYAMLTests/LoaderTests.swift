import Foundation
import SchemaModel
import SchemaYAML
import Testing

@Suite struct LoaderTests {
    func load(_ files: [String: String]) throws -> Schema {
        try DesiredStateLoader.load(try schemaFolder(files)).0
    }

    @Test func designExampleLoads() throws {
        let yaml = """
            tables:
              orgs:
                columns:
                  id: bigint primary key
              users:
                columns:
                  id: bigint primary key          # short form: a SQL column definition
                  email: text not null
                  org_id: bigint
                  status:                          # long form
                    type: text
                    nullable: false
                    default: "'active'"            # a SQL expression
                  display_name:
                    type: text
                    renamed_from: name             # a rename, not drop + add
                indexes:
                  idx_users_email: { columns: [email], unique: true }
                foreign_keys:
                  fk_users_org: { columns: [org_id], references: orgs(id), on_delete: cascade }
                checks:
                  ck_users_status: "status in ('active', 'disabled')"
            """
        let schema = try load(["app.yaml": yaml])
        let users = try #require(schema.table("users"))
        #expect(users.columns.map(\.name) == ["id", "email", "org_id", "status", "display_name"])
        #expect(users.primaryKey?.columns == ["id"])
        #expect(users.column("email")?.nullable == false)
        #expect(users.column("status")?.defaultValue == "'active'")
        #expect(users.column("display_name")?.renamedFrom == "name")
        #expect(users.indexes == [TableIndex(name: "idx_users_email", unique: true, keys: [.column("email")])])
        #expect(
            users.foreignKeys == [
                ForeignKey(name: "fk_users_org", columns: ["org_id"], referencedTable: "orgs", referencedColumns: ["id"], onDelete: .cascade)
            ])
        #expect(users.checks == [Check(name: "ck_users_status", expression: "status in ('active', 'disabled')")])
    }

    @Test func everyObjectKindLoadsFromYAMLAndSQL() throws {
        let yaml = """
            extensions: [pgcrypto]
            types:
              mood: CREATE TYPE mood AS ENUM ('sad', 'ok')
            views:
              active_users: SELECT id FROM users WHERE active
            triggers:
              users_touch: |
                CREATE TRIGGER users_touch BEFORE UPDATE ON users
                FOR EACH ROW EXECUTE FUNCTION touch()
            tables:
              users:
                comment: people
                columns:
                  id: bigint primary key
                  active: boolean
            """
        let sql = """
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            CREATE MATERIALIZED VIEW counts AS SELECT count(*) FROM users;
            CREATE INDEX counts_idx ON counts (count);
            ALTER TABLE users ENABLE ROW LEVEL SECURITY;
            CREATE POLICY own ON users USING (id > 0);
            ALTER TABLE users ADD CONSTRAINT users_id_positive CHECK (id > 0);
            COMMENT ON COLUMN users.id IS 'key';
            SET check_function_bodies = off;
            """
        let schema = try load(["app.yaml": yaml, "more.sql": sql])
        #expect(
            schema.objects.map(\.displayName).sorted() == [
                "comment on column users.id", "comment on table users", "extension pgcrypto", "function touch()",
                "materialized view counts", "policy own on users", "row level security on users", "trigger users_touch on users",
                "type mood", "view active_users",
            ])
        #expect(schema.objects.first { $0.name == "counts" }?.statements.count == 2)
        #expect(schema.objects.first { $0.name == "active_users" }?.sql == "CREATE VIEW active_users AS SELECT id FROM users WHERE active")
        #expect(schema.table("users")?.checks.map(\.name) == ["users_id_positive"])
        #expect(schema.table("users")?.comment == nil)
    }

    @Test func yamlAndSQLFilesMergeFromSubfolders() throws {
        let schema = try load([
            "app.yml": "tables:\n  users:\n    columns:\n      id: integer primary key\n",
            "more/orders.sql":
                "CREATE TABLE orders (id integer PRIMARY KEY, user_id integer REFERENCES users(id));\nCREATE INDEX idx_orders_user ON orders (user_id);\nCREATE INDEX idx_users_id ON users (id DESC);\n",
        ])
        #expect(schema.tables.map(\.name) == ["users", "orders"])
        #expect(schema.table("orders")?.indexes.map(\.name) == ["idx_orders_user"])
        #expect(schema.table("users")?.indexes.first?.keys.first?.descending == true)
    }

    @Test func inspectOutputLoadsBack() throws {
        let yaml = """
            tables:
              t:
                columns:
                  id: integer primary key autoincrement
                  a: "decimal(10,2) not null default 0"
                  b: text collate nocase unique
                indexes:
                  idx_expr: { columns: ["coalesce(a, 0)", b desc], where: "a > 0" }
            """
        let schema = try load(["app.yaml": yaml])
        let written = SchemaYAMLWriter.yaml(schema)
        let again = try load(["app.yaml": written])
        #expect(again == schema, "\(written)")
    }
}
