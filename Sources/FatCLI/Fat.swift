import ArgumentParser
import FatRuntime

/// The `fat` command line: deploy contracts, send commands, ask queries, read the log, verify.
///
/// The subcommands live here, in a library, so tests run them exactly as users do (see
/// `Fat.run(_:)`); the `fat` executable only forwards its arguments.
public struct Fat: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fat",
        abstract: "A host for fat contracts: native (C ABI) and ink! (Wasm), with a sealed state store.",
        subcommands: [Deploy.self, Upload.self, Call.self, Query.self, Inspect.self, Log.self, Events.self, Verify.self, Key.self, Serve.self])

    public init() {}

    /// Parses and runs one command line; returns the process exit status. Output goes to
    /// `Console.current`.
    public static func run(_ arguments: [String]) -> Int32 { runRoot(Fat.self, hoistGlobalOptions(arguments)) }

    /// Global options may come before the subcommand (`fat --remote URL query …`), as the
    /// documentation writes them; they are moved after it, where every subcommand reads them.
    static func hoistGlobalOptions(_ arguments: [String]) -> [String] {
        let withValue = GlobalOptions.namesWithValues
        let flags = GlobalOptions.flagNames
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            if flags.contains(argument) || (withValue.contains(name) && argument.contains("=")) {
                leading.append(argument)
                index += 1
            } else if withValue.contains(argument), index + 1 < arguments.count {
                leading += arguments[index ... index + 1]
                index += 2
            } else {
                break
            }
        }
        return Array(arguments[index...]) + leading
    }
}

/// Parses and runs a root command (`fat`, `fat-serve`); returns the process exit status. A
/// subcommand that failed has printed why; a parse error is printed here, with usage.
public func runRoot<Root: ParsableCommand>(_ root: Root.Type, _ arguments: [String]) -> Int32 {
    do {
        var command = try Root.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch is SubcommandFailure {
        return 1
    } catch {
        Console.current.print(Root.fullMessage(for: error))
        return Root.exitCode(for: error).rawValue
    }
}
