import FatCLI
import Foundation

exit(Fat.run(Array(CommandLine.arguments.dropFirst())))
