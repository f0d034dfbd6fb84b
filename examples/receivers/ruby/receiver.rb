# A Herald webhook receiver with Ruby's standard library (WEBrick, OpenSSL, JSON).
#
# Verifies the Standard Webhooks signature over the raw body, refuses stale timestamps,
# de-duplicates by webhook-id, answers at once and processes afterwards.
#
#   WEBHOOK_SECRET=whsec_... PORT=8000 ruby receiver.rb
require "base64"
require "json"
require "openssl"
require "set"
require "webrick"

SECRET = ENV.fetch("WEBHOOK_SECRET")
PORT = Integer(ENV.fetch("PORT", "8000"))
TOLERANCE = Integer(ENV.fetch("WEBHOOK_TOLERANCE_SECONDS", "300"))
KEY = Base64.strict_decode64(SECRET.delete_prefix("whsec_"))
$stdout.sync = true

class Rejected < StandardError
  attr_reader :status

  def initialize(status, reason)
    super(reason)
    @status = status
  end
end

def verify(request, body)
  id = request["webhook-id"]
  timestamp = request["webhook-timestamp"]
  signatures = request["webhook-signature"]
  if [id, timestamp, signatures].any? { |v| v.nil? || v.empty? }
    raise Rejected.new(400, "missing webhook-id, webhook-timestamp or webhook-signature")
  end
  raise Rejected.new(400, "malformed timestamp") unless timestamp.match?(/\A\d+\z/)
  raise Rejected.new(400, "stale timestamp") if (Time.now.to_i - timestamp.to_i).abs > TOLERANCE

  expected = OpenSSL::HMAC.digest("SHA256", KEY, "#{id}.#{timestamp}.#{body}")
  signatures.split(" ").each do |candidate|
    version, value = candidate.split(",", 2)
    given = Base64.decode64(value.to_s)
    return id if version == "v1" && given.bytesize == expected.bytesize &&
                 OpenSSL.fixed_length_secure_compare(given, expected)
  end
  raise Rejected.new(401, "no signature matches")
end

seen = Set.new # use a shared store (Redis SET NX, a unique index) with several copies
seen_lock = Mutex.new
work = Queue.new

Thread.new do
  loop do
    id, body = work.pop
    event = JSON.parse(body)
    puts "accepted #{id} #{event["type"]}"
  end
end

server = WEBrick::HTTPServer.new(BindAddress: "127.0.0.1", Port: PORT,
                                 Logger: WEBrick::Log.new(File::NULL), AccessLog: [])
server.mount_proc "/" do |request, response|
  body = request.body || "" # the raw bytes, never a re-serialized object
  begin
    id = verify(request, body)
    duplicate = seen_lock.synchronize { !seen.add?(id) }
    if duplicate
      puts "duplicate #{id}"
    else
      work << [id, body]
    end
    response.status = 204 # answer fast: Herald waits for this before its next attempt
  rescue Rejected => e
    puts "rejected #{e.message}"
    response.status = e.status
  end
end
trap("TERM") { server.shutdown }
trap("INT") { server.shutdown }
puts "listening on #{PORT}"
server.start
