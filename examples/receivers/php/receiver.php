<?php
// A Herald webhook receiver in plain PHP (no framework, no extension beyond the defaults).
//
// Verifies the Standard Webhooks signature over the raw body, refuses stale timestamps,
// de-duplicates by webhook-id, answers at once and processes afterwards.
//
//   WEBHOOK_SECRET=whsec_... php -S 127.0.0.1:8000 receiver.php
// (behind PHP-FPM, fastcgi_finish_request() ends the response before the processing.)

function out(string $line): void
{
    file_put_contents('php://stdout', $line . "\n");
}

function answer(int $status): void
{
    http_response_code($status);
    header('Content-Length: 0');
    if (function_exists('fastcgi_finish_request')) {
        fastcgi_finish_request();
    } else {
        flush();
    }
}

final class Rejected extends Exception
{
}

function verify(string $secret, int $tolerance, string $body): string
{
    $id = $_SERVER['HTTP_WEBHOOK_ID'] ?? '';
    $timestamp = $_SERVER['HTTP_WEBHOOK_TIMESTAMP'] ?? '';
    $signatures = $_SERVER['HTTP_WEBHOOK_SIGNATURE'] ?? '';
    if ($id === '' || $timestamp === '' || $signatures === '') {
        throw new Rejected('missing webhook-id, webhook-timestamp or webhook-signature', 400);
    }
    if (!ctype_digit($timestamp)) {
        throw new Rejected('malformed timestamp', 400);
    }
    if (abs(time() - (int) $timestamp) > $tolerance) {
        throw new Rejected('stale timestamp', 400);
    }
    $key = base64_decode(preg_replace('/^whsec_/', '', $secret), true);
    $expected = base64_encode(hash_hmac('sha256', "$id.$timestamp.$body", $key, true));
    foreach (explode(' ', $signatures) as $candidate) {
        [$version, $value] = array_pad(explode(',', $candidate, 2), 2, '');
        if ($version === 'v1' && hash_equals($expected, $value)) {
            return $id;
        }
    }
    throw new Rejected('no signature matches', 401);
}

/** True the first time an id is seen: an exclusive create is atomic across requests. */
function firstTime(string $id): bool
{
    // Use a shared store (Redis SET NX, a unique index) when several servers receive.
    $dir = getenv('SEEN_DIR') ?: sys_get_temp_dir() . '/herald-receiver-seen';
    if (!is_dir($dir)) {
        @mkdir($dir, 0700, true);
    }
    $file = @fopen($dir . '/' . hash('sha256', $id), 'x');
    if ($file === false) {
        return false;
    }
    fclose($file);
    return true;
}

$body = file_get_contents('php://input'); // the raw bytes, never a re-serialized array
try {
    $id = verify(getenv('WEBHOOK_SECRET'), (int) (getenv('WEBHOOK_TOLERANCE_SECONDS') ?: 300), $body);
} catch (Rejected $e) {
    out('rejected ' . $e->getMessage());
    answer($e->getCode());
    return;
}
if (!firstTime($id)) {
    out("duplicate $id");
    answer(204);
    return;
}
answer(204); // answer fast: Herald waits for this before its next attempt
$event = json_decode($body, true);
out("accepted $id " . ($event['type'] ?? '?'));
