// The inventory example: TOKEN_SECRET=... swift run inventory --database-path /tmp/inventory.sqlite
import Apus
import Foundation
import InventoryApp

do {
    let settings = try InventorySettings()
    try await makeInventoryApp(settings: settings).run()
} catch let error as SettingsError {
    print("inventory: \(error)")
    exit(2)
} catch {
    print("inventory: \(error)")
    exit(1)
}
