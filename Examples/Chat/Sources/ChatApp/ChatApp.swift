public import Apus
import Foundation

/// The chat example: rooms over WebSockets with typed JSON messages, and a page to try it.
///
/// - `GET /` serves a small HTML client.
/// - `GET /rooms/{room}` lists who is in a room.
/// - `WS /ws/{room}?user=ann` joins: every member gets `{"kind":"joined",...}`; each
///   `{"text":"..."}` the client sends reaches the whole room as a `message` event; leaving
///   (or vanishing) sends `left`. A message that is not a ``ChatCommand`` closes the socket
///   with 1003; the user name is validated like any query parameter (1008 when invalid).
public func makeChatApp(rooms: ChatRooms = ChatRooms(), configuration: ServerConfiguration = ServerConfiguration()) -> App {
    var configuration = configuration
    // A chat message is small: larger ones close the socket with 1009.
    configuration.webSocket.maxMessageSize = 64 << 10
    let app = App(
        title: "Apus chat", version: "1.0.0", description: "Chat rooms over WebSockets.", configuration: configuration)
    app.state.set(rooms)

    app.get("/", name: "chat_page", includeInSchema: false) { HTML(chatPage) }

    app.get("/rooms/{room}", tags: ["rooms"], name: "room_members", Path<String>("room", .maxLength(40)), Shared<ChatRooms>()) {
        room, rooms async in
        await rooms.names(in: room)
    }

    app.webSocket(
        "/ws/{room}", name: "chat",
        Path<String>("room", .maxLength(40)),
        Query<String>("user", .minLength(1), .maxLength(32)),
        Shared<ChatRooms>()
    ) { ws, room, user, rooms in
        try await ws.accept()
        let id = UUID()
        let members = await rooms.join(room, id: id, name: user, socket: ws)
        await rooms.broadcast(ChatEvent(kind: "joined", room: room, user: user, members: members), in: room)
        receiving: while true {
            let command: ChatCommand
            do {
                command = try await ws.receiveJSON(ChatCommand.self)
            } catch is WebSocketDisconnect {
                break receiving
            } catch is CancellationError {
                // The client vanished (no close frame, no answer to pings).
                break receiving
            } catch {
                // Not a ChatCommand: invalid JSON or a missing "text".
                ws.close(code: .unsupportedData, reason: #"send {"text": "..."}"#)
                break receiving
            }
            let members = await rooms.names(in: room)
            await rooms.broadcast(ChatEvent(kind: "message", room: room, user: user, text: command.text, members: members), in: room)
        }
        let left = await rooms.leave(room, id: id)
        await rooms.broadcast(ChatEvent(kind: "left", room: room, user: user, members: left), in: room)
    }
    return app
}

/// A minimal page: pick a room and a name, then chat.
let chatPage = """
    <!doctype html>
    <html><head><meta charset="utf-8"><title>Apus chat</title>
    <style>body{font-family:sans-serif;max-width:40em;margin:2em auto}#log{border:1px solid #ccc;height:20em;overflow:auto;padding:.5em}</style>
    </head><body>
    <h1>Apus chat</h1>
    <p><input id="room" value="lobby"> <input id="user" placeholder="your name"> <button id="join">Join</button></p>
    <div id="log"></div>
    <p><input id="text" size="40" disabled> <button id="send" disabled>Send</button></p>
    <script>
    let ws;
    const log = (line) => { const p = document.createElement('div'); p.textContent = line; document.getElementById('log').append(p); };
    document.getElementById('join').onclick = () => {
      const room = encodeURIComponent(document.getElementById('room').value);
      const user = encodeURIComponent(document.getElementById('user').value);
      ws = new WebSocket(`ws://${location.host}/ws/${room}?user=${user}`);
      ws.onopen = () => { document.getElementById('text').disabled = false; document.getElementById('send').disabled = false; };
      ws.onmessage = (event) => {
        const e = JSON.parse(event.data);
        log(e.kind === 'message' ? `${e.user}: ${e.text}` : `* ${e.user} ${e.kind} (${e.members.join(', ')})`);
      };
      ws.onclose = (event) => log(`* closed (${event.code})`);
    };
    document.getElementById('send').onclick = () => {
      ws.send(JSON.stringify({text: document.getElementById('text').value}));
      document.getElementById('text').value = '';
    };
    </script>
    </body></html>
    """
