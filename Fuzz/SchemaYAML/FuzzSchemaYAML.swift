// libFuzzer target: the desired-state YAML loader must never crash, whatever the bytes;
// every failure is a SchemaError. Build and run with scripts/fuzz.
import Foundation
import SchemaYAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchemaYAML(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    if let (schema, _) = try? DesiredStateLoader.load(yaml: text, file: "fuzz.yaml") {
        _ = SchemaYAMLWriter.yaml(schema)
    }
    return 0
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
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzSchemaYAML))
    }
}
