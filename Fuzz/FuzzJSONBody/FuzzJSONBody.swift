// libFuzzer target: a JSON body: the parser, the collecting decoder into a nested model, constraints.
// Scripts/fuzz.sh FuzzJSONBody SECONDS fuzzes it; a plain build replays the files named on its command line.
import FuzzSupport

@main
struct FuzzJSONBody {
    static func main() {
        let pipeline = FuzzPipeline()
        runFuzzTarget { bytes in pipeline.post("/items", contentType: "application/json", bytes) }
    }
}
