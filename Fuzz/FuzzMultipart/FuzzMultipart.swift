// libFuzzer target: a multipart body: the streaming parser fed in pieces, the collector, file and field parameters.
// Scripts/fuzz.sh FuzzMultipart SECONDS fuzzes it; a plain build replays the files named on its command line.
import FuzzSupport

@main
struct FuzzMultipart {
    static func main() {
        let pipeline = FuzzPipeline()
        runFuzzTarget { bytes in pipeline.multipart(bytes) }
    }
}
