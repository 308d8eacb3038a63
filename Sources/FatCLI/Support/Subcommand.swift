import FatAPI
import FatCodec
import FatRuntime
import FatWire

/// Runs a subcommand's body against the session its options ask for, printing its answer the
/// way `--json` asks: one JSON object, or text. A command that was logged but did not succeed
/// is printed as its answer says and fails the subcommand; an error is printed with its code.
func runSubcommand(_ options: GlobalOptions, _ body: (HostSession) throws -> any Answer) throws {
    try runSubcommand(options) { () throws -> any Answer in
        let session = try openSession(options)
        defer { session.close() }
        return try body(session)
    }
}

/// The same for a subcommand that needs no host (`fat key`).
func runSubcommand(_ options: GlobalOptions, _ body: () throws -> any Answer) throws {
    let console = Console.current
    do {
        let answer = try body()
        console.print(options.json ? answer.json.serialized() : answer.text)
        if let failure = (answer as? CommandAnswer)?.failure {
            throw SubcommandFailure(error: FatError(FatError.Code(rawValue: failure.error.code), failure.error.message))
        }
    } catch let failure as SubcommandFailure {
        throw failure
    } catch {
        let fatError = FatError(wrapping: error)
        let refusal = ErrorAnswer(code: fatError.code.rawValue, message: fatError.message)
        console.print(options.json ? refusal.json.serialized() : refusal.text)
        throw SubcommandFailure(error: fatError)
    }
}

/// Runs `body` (a program of the package that is not a subcommand of `fat`: `fat-serve`), printing
/// an error it throws the way `--json` asks, as a subcommand's would be printed.
package func runReportingErrors(_ options: GlobalOptions, _ body: () throws -> Void) throws {
    do { try body() } catch let failure as SubcommandFailure { throw failure } catch {
        let fatError = FatError(wrapping: error)
        let refusal = ErrorAnswer(code: fatError.code.rawValue, message: fatError.message)
        Console.current.print(options.json ? refusal.json.serialized() : refusal.text)
        throw SubcommandFailure(error: fatError)
    }
}

/// Opens `--remote URL`'s host, else the data directory's.
func openSession(_ options: GlobalOptions) throws -> HostSession {
    if let remote = options.remote { return try RemoteSession(options, url: remote) }
    return try LocalSession(options)
}

/// A subcommand failed after printing why; the process exits with status 1.
public struct SubcommandFailure: Error {
    public let error: FatError
}
