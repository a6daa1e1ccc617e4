import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock(2)` on a side file, released by the kernel if the process dies.
///
/// The lock lives in `<database>.migrate-lock`, not on the database file: closing any
/// descriptor of the database file would drop SQLite's own POSIX locks in this process.
final class FileLock: @unchecked Sendable {
    private let path: String
    private var descriptor: Int32 = -1

    init(path: String) {
        self.path = path
    }

    /// Waits up to `timeout` seconds for the lock, polling every 50 ms.
    /// - Returns: false on timeout.
    func acquire(timeout: Double) throws -> Bool {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EngineLockError("cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(max(0, timeout))
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                let note = "pid \(getpid())\n"
                _ = ftruncate(descriptor, 0)
                _ = note.withCString { write(descriptor, $0, strlen($0)) }
                return true
            }
            if Date() >= deadline {
                close(descriptor)
                descriptor = -1
                return false
            }
            usleep(50_000)
        }
    }

    /// Who holds the lock, as far as the lock file says.
    func holder() -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? "lock file \(path)" : "\(text), lock file \(path)"
    }

    /// Who holds the lock at `path` right now, or nil when nobody does (a process that held
    /// it and died released it). Takes nothing: a shared try, dropped at once.
    static func liveHolder(path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return text.isEmpty ? "another process" : text
    }

    func release() {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

struct EngineLockError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
