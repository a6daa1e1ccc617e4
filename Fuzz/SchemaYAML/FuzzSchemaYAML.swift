// libFuzzer target: the desired-state YAML loader must never crash, whatever the bytes;
// every failure is a SchemaError. Build and run with scripts/fuzz.

import Foundation
import FuzzDriver
import SchemaYAML

/// libFuzzer's entry point: one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchemaYAML(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    if let (schema, _) = try? DesiredStateLoader.load(yaml: text, file: "fuzz.yaml") {
        _ = SchemaYAMLWriter.yaml(schema)
    }
    return 0
}

@main
enum FuzzMain {
    static func main() {
        runLibFuzzer(fuzzSchemaYAML)
    }
}
