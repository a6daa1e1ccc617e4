import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard output and error written with `write(2)`: a reader that goes away (`migrate
/// status | head -1`) closes the pipe, after which further output is dropped and the
/// command goes on to its end and exit code. Foundation's `FileHandle.write` traps on
/// EPIPE, and SIGPIPE's default action would kill the process in the middle of a migration.
enum OutputStream {
    case standardOutput, standardError

    /// Call once at start-up, before anything is written.
    static func ignoreBrokenPipes() {
        signal(SIGPIPE, SIG_IGN)
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var closed: Set<Int32> = []

    private var descriptor: Int32 {
        self == .standardOutput ? STDOUT_FILENO : STDERR_FILENO
    }

    func write(_ text: String) {
        write(Data(text.utf8))
    }

    func write(_ data: Data) {
        let fd = descriptor
        Self.lock.lock()
        defer { Self.lock.unlock() }
        guard !Self.closed.contains(fd) else { return }
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard var pointer = buffer.baseAddress else { return }
            var remaining = buffer.count
            while remaining > 0 {
                let written = systemWrite(fd, pointer, remaining)
                if written < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    Self.closed.insert(fd)
                    return
                }
                remaining -= written
                pointer += written
            }
        }
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
#endif
