// The README's quick start: `swift run quickstart`, then open http://127.0.0.1:8000/docs
import Apus
import Foundation
import QuickStartApp

do {
    try await makeQuickStartApp().run()
} catch {
    print("apus: \(error)")
    exit(1)
}
