// libFuzzer target: the desired-state YAML loader must never crash, whatever the bytes;
// every failure is a SchemaError. Build and run with scripts/fuzz.
import Foundation
import SchemaYAML

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-schema-\(getpid())").path
let file = directory + "/app.yaml"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchemaYAML(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: file, contents: Data(bytes: data, count: count))
    if let (schema, _) = try? DesiredStateLoader.load(file) {
        _ = SchemaYAMLWriter.yaml(schema)
    }
    return 0
}
