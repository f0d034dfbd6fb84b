# A webhook receiver for trying Herald: saves each request as headers.txt and body.json, answers 204.
import http.server

class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with open("headers.txt", "w") as f:
            f.writelines(f"{k}: {v}\n" for k, v in self.headers.items())
        with open("body.json", "wb") as f:
            f.write(body)
        print(self.headers["webhook-id"], body.decode()[:120], flush=True)
        self.send_response(204)
        self.end_headers()

http.server.HTTPServer(("127.0.0.1", 8000), Receiver).serve_forever()
