import FatRuntime

// A native contract's worker process: started by a host, never by hand (see NativeWorker).
NativeWorker.main(arguments: CommandLine.arguments)
