// libFuzzer target: the SQL lexer, statement splitter, parser and DDL interpreter must
// never crash, whatever the bytes. Build and run with scripts/fuzz.
import Foundation
import SQLSyntax

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSQL(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    if let statements = try? Parser.parse(text, file: "fuzz.sql") {
        var interpreter = SchemaInterpreter()
        try? interpreter.apply(statements, file: "fuzz.sql")
        for statement in statements {
            if case .createTable(let create) = statement.statement {
                _ = MigrationFileRendering.render(create)
            }
        }
    }
    _ = try? Parser.parseColumnDefinition(name: "c", text)
    _ = try? Parser.parseIndexKey(text)
    _ = try? Parser.parseReference(text)
    return 0
}

/// Renders parsed tables back, so that the renderer sees every shape the parser accepts.
enum MigrationFileRendering {
    struct Dialect: SQLDialect {}

    static func render(_ create: CreateTable) -> String {
        Dialect().createTable(create)
    }
}

// SwiftPM links an executable's entry point as `<target>_main`, which leaves no room
// for libFuzzer's own `main`; start libFuzzer's driver from ours instead.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzSQL))
    }
}
