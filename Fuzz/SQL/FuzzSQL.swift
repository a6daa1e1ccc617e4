// libFuzzer target: the SQL lexer, statement splitter, parser and DDL interpreter must
// never crash, whatever the bytes. Build and run with scripts/fuzz.

import Foundation
import FuzzDriver
import SQLSyntax

/// libFuzzer's entry point: one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSQL(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    if let statements = try? Parser.parse(text, file: "fuzz.sql") {
        var interpreter = SchemaInterpreter()
        try? interpreter.apply(statements, file: "fuzz.sql")
        // Render parsed tables back, so that the renderer sees every shape the parser accepts.
        for statement in statements {
            if case .createTable(let create) = statement.statement {
                _ = MigrationFileDialect().createTable(create)
            }
        }
    }
    _ = try? Parser.parseColumnDefinition(name: "c", text)
    _ = try? Parser.parseIndexKey(text)
    _ = try? Parser.parseReference(text)
    return 0
}

@main
enum FuzzMain {
    static func main() {
        runLibFuzzer(fuzzSQL)
    }
}
