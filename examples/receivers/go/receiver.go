// A Herald webhook receiver with Go's standard library only.
//
// Verifies the Standard Webhooks signature over the raw body, refuses stale timestamps,
// de-duplicates by webhook-id, answers at once and processes afterwards.
//
//	WEBHOOK_SECRET=whsec_... PORT=8000 go run receiver.go
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

type rejected struct {
	status int
	reason string
}

func (r rejected) Error() string { return r.reason }

type receiver struct {
	key       []byte
	tolerance time.Duration
	mu        sync.Mutex
	seen      map[string]bool // use a shared store (Redis SET NX, a unique index) with several copies
	work      chan []byte
}

func (rc *receiver) verify(h http.Header, body []byte) (string, error) {
	id, timestamp, signatures := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || timestamp == "" || signatures == "" {
		return "", rejected{400, "missing webhook-id, webhook-timestamp or webhook-signature"}
	}
	seconds, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return "", rejected{400, "malformed timestamp"}
	}
	if math.Abs(time.Since(time.Unix(seconds, 0)).Seconds()) > rc.tolerance.Seconds() {
		return "", rejected{400, "stale timestamp"}
	}
	mac := hmac.New(sha256.New, rc.key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	expected := mac.Sum(nil)
	for _, candidate := range strings.Split(signatures, " ") {
		version, value, _ := strings.Cut(candidate, ",")
		given, err := base64.StdEncoding.DecodeString(value)
		if version == "v1" && err == nil && hmac.Equal(given, expected) {
			return id, nil
		}
	}
	return "", rejected{401, "no signature matches"}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20)) // the raw bytes
	if err != nil || r.Method != http.MethodPost {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	id, err := rc.verify(r.Header, body)
	if err != nil {
		rej := err.(rejected)
		fmt.Println("rejected", rej.reason)
		w.WriteHeader(rej.status)
		return
	}
	rc.mu.Lock()
	duplicate := rc.seen[id]
	rc.seen[id] = true
	rc.mu.Unlock()
	if duplicate {
		fmt.Println("duplicate", id)
	} else {
		rc.work <- append([]byte(id+"\n"), body...)
	}
	w.WriteHeader(http.StatusNoContent) // answer fast: Herald waits for this before its next attempt
}

func (rc *receiver) process() {
	for item := range rc.work {
		id, body, _ := strings.Cut(string(item), "\n")
		var event struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal([]byte(body), &event); err != nil {
			fmt.Println("unreadable", id, err)
			continue
		}
		fmt.Println("accepted", id, event.Type)
	}
}

func main() {
	secret := os.Getenv("WEBHOOK_SECRET")
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		log.Fatal("WEBHOOK_SECRET must be whsec_ followed by Base64")
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8000"
	}
	tolerance := 300
	if t := os.Getenv("WEBHOOK_TOLERANCE_SECONDS"); t != "" {
		tolerance, _ = strconv.Atoi(t)
	}
	rc := &receiver{key: key, tolerance: time.Duration(tolerance) * time.Second,
		seen: map[string]bool{}, work: make(chan []byte, 1000)}
	go rc.process()
	fmt.Println("listening on", port)
	log.Fatal(http.ListenAndServe("127.0.0.1:"+port, rc))
}
