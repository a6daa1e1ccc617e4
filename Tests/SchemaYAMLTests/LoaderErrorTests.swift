import Foundation
import SchemaYAML
import Testing

/// Every desired-state mistake names `file:line:column` and what was expected.
@Suite struct LoaderErrorTests {
    /// Writes `files` into a new folder and loads it, returning the error's text.
    func error(_ files: [String: String]) throws -> String {
        let folder = try schemaFolder(files)
        do {
            _ = try DesiredStateLoader.load(folder)
            Issue.record("expected an error")
            return ""
        } catch let error as SchemaError {
            return error.description.replacingOccurrences(of: folder + "/", with: "")
        }
    }

    @Test func unknownKeySuggestsTheNearestOne() throws {
        let yaml = """
            tables:
              users:
                columns:
                  email:
                    type: text
                    nulable: false
            """
        #expect(
            try error(["app.yaml": yaml])
                == "app.yaml:6:9: unknown key 'nulable' (did you mean 'nullable'?); expected one of: type, nullable, default, primary_key, unique, renamed_from, references, check, collate, comment, autoincrement, generated"
        )
    }

    @Test func unknownTableKey() throws {
        let yaml = """
            tables:
              users:
                colums:
                  id: integer
            """
        #expect(try error(["app.yaml": yaml]).hasPrefix("app.yaml:3:5: unknown key 'colums' (did you mean 'columns'?)"))
    }

    @Test func badTypeInTheShortForm() throws {
        let yaml = """
            tables:
              users:
                columns:
                  id: integer primary key
                  amount: decimal(10,) not null
            """
        #expect(try error(["app.yaml": yaml]) == "app.yaml:5:26: expected type modifier, found ')'")
    }

    @Test func badTypeInTheLongForm() throws {
        let yaml = """
            tables:
              users:
                columns:
                  amount:
                    type: numeric not null
            """
        #expect(
            try error(["app.yaml": yaml])
                == "app.yaml:5:15: expected only a type here, found constraints; use nullable, default, primary_key, ... for those")
    }

    @Test func nonBooleanNullable() throws {
        let yaml = """
            tables:
              users:
                columns:
                  email: { type: text, nullable: maybe }
            """
        #expect(try error(["app.yaml": yaml]) == "app.yaml:4:38: expected true or false for nullable")
    }

    @Test func columnDefinedTwice() throws {
        let yaml = """
            tables:
              users:
                columns:
                  email: text
                  email: text not null
            """
        #expect(try error(["app.yaml": yaml]) == "app.yaml:5:7: 'email' is defined twice in this mapping (first at 4:7)")
    }

    @Test func tableDefinedTwiceInOneFile() throws {
        let yaml = "tables:\n  users:\n    columns:\n      id: integer\n\n  # again\n  users:\n    columns:\n      id: integer\n"
        #expect(try error(["app.yaml": yaml]) == "app.yaml:7:3: 'users' is defined twice in this mapping (first at 2:3)")
    }

    @Test func indexOnAMissingColumn() throws {
        let yaml = """
            tables:
              users:
                columns:
                  email: text
                indexes:
                  idx_users_email: { columns: [emial] }
            """
        #expect(
            try error(["app.yaml": yaml])
                == "app.yaml:6:36: index idx_users_email: column emial does not exist in table users (did you mean 'email'?)")
    }

    @Test func foreignKeyToAMissingTable() throws {
        let yaml = """
            tables:
              users:
                columns:
                  id: integer primary key
                  org_id: integer
                foreign_keys:
                  fk_users_org: { columns: [org_id], references: org(id) }
            """
        #expect(
            try error(["app.yaml": yaml])
                == "app.yaml:7:7: foreign key fk_users_org references table org, which is not defined")
    }

    @Test func foreignKeyToAMissingColumn() throws {
        let yaml = """
            tables:
              orgs:
                columns:
                  id: integer primary key
              users:
                columns:
                  org_id: { type: integer, references: orgs(uid) }
            """
        #expect(
            try error(["app.yaml": yaml])
                == "app.yaml:7:44: foreign key org_id: column uid does not exist in table orgs (did you mean 'id'?)")
    }

    @Test func tableDefinedInTwoFilesNamesBoth() throws {
        let first = "tables:\n  users:\n    columns:\n      id: integer\n"
        let second = "tables:\n  accounts:\n    columns:\n      id: integer\n  users:\n    columns:\n      id: integer\n"
        #expect(try error(["a.yaml": first, "b.yaml": second]).hasPrefix("b.yaml:5:3: table users is defined twice (first defined at "))
        #expect(try error(["a.yaml": first, "b.yaml": second]).hasSuffix("a.yaml:2:3)"))
    }

    @Test func tableInYAMLAndSQL() throws {
        let yaml = "tables:\n  users:\n    columns:\n      id: integer\n"
        let sql = "-- users again\nCREATE TABLE users (id integer);\n"
        #expect(try error(["a.yaml": yaml, "b.sql": sql]).hasPrefix("b.sql:2:1: table users is defined twice"))
    }

    @Test func sqlSchemaFileAcceptsOnlySchemaStatements() throws {
        #expect(
            try error(["s.sql": "CREATE TABLE t (id integer);\nINSERT INTO t VALUES (1);\n"])
                == "s.sql:2:1: expected schema DDL (CREATE, ALTER or COMMENT) in a schema file, found INSERT")
        #expect(
            try error(["s.sql": "CREATE TABLE t (id integer);\n  DROP TABLE t;\n"])
                == "s.sql:2:3: expected schema DDL (CREATE, ALTER or COMMENT) in a schema file, found DROP")
        #expect(
            try error(["s.sql": "CREATE VIEW v AS SELECT 1;\nCREATE VIEW V AS SELECT 2;\n"])
                == "s.sql:2:1: view V is defined twice (first defined at s.sql:1:1)")
    }

    @Test func objectSectionsNameWhatIsWrong() throws {
        #expect(
            try error(["a.yaml": "views:\n  v: CREATE TABLE t (id integer)\n"])
                == "a.yaml:2:6: expected a statement that creates view v, e.g. CREATE VIEW v ...")
        #expect(try error(["a.yaml": "views:\n  v: CREATE VIEW w AS SELECT 1\n"]) == "a.yaml:2:6: the SQL creates view w, but its key is v")
        #expect(try error(["a.yaml": "functions:\n  f:\n"]) == "a.yaml:2:3: expected the SQL that creates function f")
        #expect(try error(["a.yaml": "view:\n  v: SELECT 1\n"]).hasPrefix("a.yaml:1:1: unknown key 'view' (did you mean 'views'?)"))
    }

    @Test func sqlSyntaxErrorInASchemaFile() throws {
        #expect(try error(["s.sql": "CREATE TABLE t (\n  id integer,\n  name varchar(\n);\n"]).hasPrefix("s.sql:4:1: "))
    }

    @Test func invalidYAML() throws {
        #expect(try error(["app.yaml": "tables:\n  users: [\n"]).hasPrefix("app.yaml:3:1: invalid YAML"))
    }

    @Test func bareWordDefaultAsksForQuotes() throws {
        let yaml = """
            tables:
              users:
                columns:
                  status: { type: text, default: active }
            """
        #expect(
            try error(["app.yaml": yaml])
                == "app.yaml:4:38: default 'active' is a bare word; a text default is a SQL string: \"'active'\"")
    }

    @Test func tableWithoutColumns() throws {
        #expect(
            try error(["app.yaml": "tables:\n  users:\n    columns: {}\n"]) == "app.yaml:3:5: table users needs at least one column under columns:")
    }

    @Test func emptyName() throws {
        #expect(try error(["app.yaml": "tables:\n  \"\":\n    columns:\n      id: integer\n"]) == "app.yaml:2:3: expected a name as the key")
    }

    @Test func missingSchemaPath() throws {
        #expect(throws: SchemaError.self) { try DesiredStateLoader.load("/nonexistent/schema") }
    }
}
