import Foundation
import Testing

/// Where the tests find the repository, the build's products and the third-party fixtures, and
/// whether they run in CI. Shared by every test target.
public enum TestEnvironment {
    /// True when `CI` is set to anything but an empty string, `0`, `false` or `no` (in any case),
    /// as CI services set it (`true`, `1`, `TRUE`…).
    public static let isCI: Bool = {
        guard let value = ProcessInfo.processInfo.environment["CI"]?.lowercased() else { return false }
        return !["", "0", "false", "no"].contains(value)
    }()
}

/// The repository root, from this file's path (Tests/FatTesting/TestEnvironment.swift).
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// What a test needs and did not find.
public struct MissingTestInput: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Where this build put its products: the directory of the running test bundle, whatever the
/// configuration (`.build/debug`, `.build/release` or another `--scratch-path`).
public enum Products {
    public static var directory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The path of `lib<name>.so`, or an error saying how to build it.
    public static func library(_ name: String) throws -> String {
        let path = directory.appendingPathComponent("lib\(name).so").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw MissingTestInput("\(path) is missing: run `swift build` before `swift test` (scripts/test.sh does)")
        }
        return path
    }

    /// The path of the executable `name` built beside the tests.
    public static func executable(_ name: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw MissingTestInput("\(path) is missing: run `swift build` before `swift test` (scripts/test.sh does)")
        }
        return path
    }
}

/// The third-party fixtures, read in place from ../shared/fixtures (or `FAT_FIXTURES`).
///
/// A test that reads them carries `Fixtures.required`: without the folder the runner reports it
/// skipped, except in CI, where it runs and fails on the first `Fixtures.path`.
public enum Fixtures {
    public static let root: URL? = {
        if let path = ProcessInfo.processInfo.environment["FAT_FIXTURES"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let candidate = Repository.root.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
        return FileManager.default.fileExists(atPath: candidate.path) ? candidate : nil
    }()

    public static var required: ConditionTrait {
        .enabled(
            if: root != nil || TestEnvironment.isCI,
            "../shared/fixtures is not present (set FAT_FIXTURES to its path to run this test)")
    }

    /// The fixtures folder, or an error (only reachable in CI, where the folder must be present).
    public static func folder() throws -> URL {
        guard let root else { throw MissingTestInput("../shared/fixtures is missing, and CI makes that a failure") }
        return root
    }

    /// The path of one fixture, which must exist.
    public static func path(_ relative: String) throws -> String {
        let path = try folder().appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else { throw MissingTestInput("fixture \(path) is missing") }
        return path
    }
}
