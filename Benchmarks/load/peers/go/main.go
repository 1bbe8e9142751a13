// The Go peer of Benchmarks/load/growth.py: net/http from the standard library, the same
// growth endpoints as Examples/BenchServer/Growth.swift, validated as the Apus ones are.
// Env: PORT, ROUTES (routes /r{i}/{id}, looked up in a map by their first segment: the
// cheapest router Go's 1.19 standard library allows). The harness sets GOMAXPROCS=1.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
)

type itemIn struct {
	Name  *string   `json:"name"`
	Price *float64  `json:"price"`
	Tags  *[]string `json:"tags"`
}

type itemOut struct {
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Tags  []string `json:"tags"`
}

type documentIn struct {
	Items *[]itemIn `json:"items"`
}

type documentOut struct {
	Items []itemOut `json:"items"`
}

type querySum struct {
	Count int `json:"count"`
	Sum   int `json:"sum"`
}

var queryNames [100]string
var megabyte = bytes.Repeat([]byte("x"), 1<<20)

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encode error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

func invalid(w http.ResponseWriter, what string) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": what})
}

func document(w http.ResponseWriter, r *http.Request) {
	var in documentIn
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Items == nil {
		invalid(w, "invalid document")
		return
	}
	out := documentOut{Items: make([]itemOut, 0, len(*in.Items))}
	for _, item := range *in.Items {
		if item.Name == nil || item.Price == nil || item.Tags == nil {
			invalid(w, "invalid item")
			return
		}
		out.Items = append(out.Items, itemOut{Name: *item.Name, Price: *item.Price, Tags: *item.Tags})
	}
	writeJSON(w, http.StatusOK, out)
}

func querySumOf(w http.ResponseWriter, r *http.Request, count int) {
	values := r.URL.Query()
	sum := 0
	for i := 0; i < count; i++ {
		v, ok := values[queryNames[i]]
		if !ok || len(v) == 0 {
			invalid(w, "missing "+queryNames[i])
			return
		}
		n, err := strconv.Atoi(v[len(v)-1])
		if err != nil {
			invalid(w, queryNames[i]+" must be an integer")
			return
		}
		sum += n
	}
	writeJSON(w, http.StatusOK, querySum{Count: count, Sum: sum})
}

func main() {
	for i := range queryNames {
		queryNames[i] = "p" + strconv.Itoa(i)
	}
	routeCount, _ := strconv.Atoi(os.Getenv("ROUTES"))
	routes := make(map[string]int, routeCount)
	for i := 0; i < routeCount; i++ {
		routes["r"+strconv.Itoa(i)] = i
	}
	handler := func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		switch {
		case r.Method == http.MethodPost && path == "/growth/document":
			document(w, r)
		case r.Method == http.MethodGet && path == "/growth/megabyte":
			h := w.Header()
			h.Set("Content-Type", "application/octet-stream")
			h.Set("Content-Length", strconv.Itoa(len(megabyte)))
			w.WriteHeader(http.StatusOK)
			w.Write(megabyte)
		case r.Method == http.MethodGet && path == "/growth/query1":
			querySumOf(w, r, 1)
		case r.Method == http.MethodGet && path == "/growth/query10":
			querySumOf(w, r, 10)
		case r.Method == http.MethodGet && path == "/growth/query100":
			querySumOf(w, r, 100)
		case r.Method == http.MethodGet:
			parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
			index, found := routes[parts[0]]
			if !found || len(parts) != 2 {
				writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not Found"})
				return
			}
			id, err := strconv.Atoi(parts[1])
			if err != nil {
				invalid(w, "id must be an integer")
				return
			}
			writeJSON(w, http.StatusOK, querySum{Count: index, Sum: id})
		default:
			writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not Found"})
		}
	}
	addr := "127.0.0.1:" + os.Getenv("PORT")
	fmt.Printf("go growth peer on %s GOMAXPROCS=%d routes=%d\n", addr, runtime.GOMAXPROCS(0), routeCount)
	log.Fatal(http.ListenAndServe(addr, http.HandlerFunc(handler)))
}
