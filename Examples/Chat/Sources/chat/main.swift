// The chat example: `swift run chat`, then open http://127.0.0.1:8000/ in two browser tabs.
import Apus
import ChatApp
import Foundation

do {
    try await makeChatApp().run()
} catch {
    print("apus: \(error)")
    exit(1)
}
