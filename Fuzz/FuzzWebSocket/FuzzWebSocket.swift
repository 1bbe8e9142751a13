// libFuzzer target: WebSocket frames after the upgrade: NIO's frame decoder and Apus's frame handler.
// Scripts/fuzz.sh FuzzWebSocket SECONDS fuzzes it; a plain build replays the files named on its command line.
import FuzzSupport

@main
struct FuzzWebSocket {
    static func main() {
        let pipeline = FuzzPipeline()
        runFuzzTarget { bytes in pipeline.webSocket(bytes) }
    }
}
