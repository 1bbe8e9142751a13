// libFuzzer target: a urlencoded form body: decoding, repeated fields, constraints.
// Scripts/fuzz.sh FuzzForm SECONDS fuzzes it; a plain build replays the files named on its command line.
import FuzzSupport

@main
struct FuzzForm {
    static func main() {
        let pipeline = FuzzPipeline()
        runFuzzTarget { bytes in pipeline.post("/login", contentType: "application/x-www-form-urlencoded", bytes) }
    }
}
