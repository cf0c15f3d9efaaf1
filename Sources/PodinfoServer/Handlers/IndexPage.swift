/// The HTML page a browser gets from `GET /` (podinfo renders `ui/vue.html`; this is a small stand-in that shows the
/// same message, colour, logo and version by polling `/api/info` every 3 s).
enum IndexPage {
    static func html(title: String, logo: String, infoURL: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>\(escape(title))</title>
          <style>
            body { font-family: sans-serif; text-align: center; color: #fff; margin: 0; padding-top: 10vh; }
            img { max-width: 300px; }
          </style>
        </head>
        <body id="body" style="background: #34577c">
          <img src="\(escape(logo))" alt="podinfo">
          <h1 id="message"></h1>
          <p id="version"></p>
          <script>
            async function refresh() {
              try {
                const info = await (await fetch("\(escape(infoURL))")).json();
                document.getElementById("message").textContent = info.message;
                document.getElementById("version").textContent = "v" + info.version + " on " + info.hostname;
                document.getElementById("body").style.background = info.color;
              } catch (e) {}
            }
            refresh();
            setInterval(refresh, 3000);
          </script>
        </body>
        </html>
        """
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
