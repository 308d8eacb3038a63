import ArgumentParser
import FatRuntime
import Foundation

/// `fat serve …`: runs `fat-serve` (built beside `fat`) with the same arguments, in this
/// process's place. The HTTP server is a program of its own, so `fat` does not link it.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the data directory over HTTP (JSON API, events, metrics) until SIGTERM; `fat serve --help` lists its options.",
        helpNames: [])

    @Argument(parsing: .allUnrecognized, help: "The options of fat-serve.") var arguments: [String] = []

    func run() throws {
        let path = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("fat-serve").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw FatError(
                .badArguments,
                "fat serve runs \(path), which is missing: build it with `swift build` (every product) or `swift build --product fat-serve`")
        }
        fflush(nil)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, argv)
        throw FatError(.internalError, "cannot run \(path): \(String(cString: strerror(errno)))")
    }
}
