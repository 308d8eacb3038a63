import FatCLI
import Foundation

exit(runRoot(Serve.self, Array(CommandLine.arguments.dropFirst())))
