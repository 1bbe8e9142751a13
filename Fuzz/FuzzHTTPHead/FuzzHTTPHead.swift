// libFuzzer target: the request head path: NIO's decoder as the server wraps it, RFC 9112 checks, routing, path/query/header/cookie parameters.
// Scripts/fuzz.sh FuzzHTTPHead SECONDS fuzzes it; a plain build replays the files named on its command line.
import FuzzSupport

@main
struct FuzzHTTPHead {
    static func main() {
        let pipeline = FuzzPipeline()
        runFuzzTarget { bytes in pipeline.serve(bytes) }
    }
}
