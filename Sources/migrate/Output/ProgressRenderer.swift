import Foundation
import MigrationEngine
import MigrationKit
import SchemaDiff

/// Draws progress events: a bar redrawn in place on a terminal, a line every few seconds
/// otherwise (every batch with --verbose), JSON lines with --format json.
final class ProgressRenderer: @unchecked Sendable {
    private let console: Console
    private let verbose: Bool
    private var lastLine = Date.distantPast
    private var barShown = false
    private let lock = NSLock()

    init(console: Console, verbose: Bool) {
        self.console = console
        self.verbose = verbose
    }

    func handle(_ event: MigrationEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .progress(let progress): draw(progress)
        case .recovered(let message):
            endBar()
            if console.format == .json {
                console.jsonLine(["event": "recovered", "message": message])
            } else {
                console.line(console.titled("🩹", "Recovered: \(message)"))
            }
        case .lint(let finding):
            endBar()
            if console.format == .json {
                console.jsonLine(LintLine(finding))
            } else {
                Console.warning(finding.description)
            }
        default: break
        }
    }

    /// Ends a bar left on the current line, before other output.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        endBar()
    }

    private func draw(_ p: OperationProgress) {
        let phaseEnd = p.phase == .cutover || p.phase == .done
        if console.format == .json {
            guard phaseEnd || verbose || Date().timeIntervalSince(lastLine) >= 1 else { return }
            lastLine = Date()
            console.jsonLine(ProgressLine(p))
            return
        }
        let percent = p.rowsTotal > 0 ? min(100, p.rowsDone * 100 / p.rowsTotal) : (p.phase == .index ? 0 : 100)
        let isIndex = p.phase == .index || p.unit == "index"
        let what = isIndex ? "index \(p.table)" : "\(p.table) \(p.phase.rawValue)"
        var text = "\(p.migrationID) \(what)" + (p.detail.map { " (\($0))" } ?? "")
        if p.rowsTotal > 0 || !isIndex { text += " \(percent)% \(p.rowsDone)/\(p.rowsTotal) \(p.unit)" }
        if p.rowsPerSecond >= 1 { text += ", \(Int(p.rowsPerSecond)) \(p.unit)/s" }
        if let eta = p.etaSeconds { text += ", ETA \(Self.duration(eta))" }
        if verbose && p.batchRows > 0 {
            text += String(format: ", batch %d rows in %.1f ms", p.batchRows, p.batchMilliseconds)
        }
        if console.fancy && !verbose {
            let width = 24
            let filled = width * percent / 100
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            OutputStream.standardOutput.write(Data("\r\u{1B}[2K  ⏳ [\(bar)] \(text)".utf8))
            barShown = true
            if phaseEnd { endBar() }
        } else if verbose || phaseEnd || Date().timeIntervalSince(lastLine) >= 3 {
            lastLine = Date()
            console.line("  progress: " + text)
        }
    }

    private func endBar() {
        if barShown {
            OutputStream.standardOutput.write(Data("\n".utf8))
            barShown = false
        }
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 1 { return "<1s" }
        return seconds < 60 ? "\(Int(seconds.rounded(.up)))s" : "\(Int(seconds) / 60)m\(Int(seconds) % 60)s"
    }
}

/// One `--format json` progress line.
struct ProgressLine: Encodable {
    var event = "progress"
    var migration: String
    var table: String
    var phase: String
    var rowsDone: Int
    var rowsTotal: Int
    var rowsPerSecond: Int
    var etaSeconds: Double?
    var batchRows: Int
    var batchMs: Double
    /// What the counts count: rows, or blocks / tuples while an index builds.
    var unit: String
    /// The engine's phase, in its words.
    var detail: String?

    init(_ p: OperationProgress) {
        unit = p.unit
        detail = p.detail
        migration = p.migrationID
        table = p.table
        phase = p.phase.rawValue
        rowsDone = p.rowsDone
        rowsTotal = p.rowsTotal
        rowsPerSecond = Int(p.rowsPerSecond)
        etaSeconds = p.etaSeconds.map { ($0 * 10).rounded() / 10 }
        batchRows = p.batchRows
        batchMs = (p.batchMilliseconds * 100).rounded() / 100
    }
}
