/* cloudpeds search core: the tokenizer (the same definition as plugins/cloudpeds/search/tokenizer.py
   (tests/fixtures/tokenizer-vectors.json holds the cases both must agree on).
   NFKC + lowercase; CJK runs → overlapping bigrams (one character: itself); numbers; Latin words
   (letter then letters/digits); °c, °f, %. Everything else separates. Never lunr's default
   trimmer, which deletes Chinese. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.cpTokenizer = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var TOKEN = new RegExp("[" + CJK + "]+|[0-9]+(?:\\.[0-9]+)?|[a-z\u00e0-\u024f][a-z0-9\u00e0-\u024f]*|°[cf]|%", "g");
  var CJK_RUN = new RegExp("^[" + CJK + "]+$");
  var LATIN_WORD = /^[a-z\u00e0-\u024f][a-z0-9\u00e0-\u024f]*$/;

  function normalise(text) { return String(text).normalize("NFKC").toLowerCase(); }
  function isCjk(token) { return CJK_RUN.test(token); }

  function tokenize(text) {
    var tokens = [], match, piece, i;
    var string = normalise(text);
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(string)) !== null) {
      piece = match[0];
      if (isCjk(piece)) {
        if (piece.length === 1) tokens.push(piece);
        else for (i = 0; i < piece.length - 1; i++) tokens.push(piece.slice(i, i + 2));
      } else {
        tokens.push(piece);
      }
    }
    return tokens;
  }

  /* The query → clauses rule of plugins/cloudpeds/search/query.py. */
  function clauses(text) {
    var tokens = tokenize(text), out = [], last = tokens[tokens.length - 1];
    tokens.forEach(function (token) {
      if (isCjk(token) && token.length === 1) out.push({ term: token, wildcard: 2, usePipeline: false });
      else out.push({ term: token, usePipeline: true });
    });
    if (last && LATIN_WORD.test(last) && last.length >= 2) {
      out.push({ term: last, wildcard: 2, usePipeline: false, boost: 0.5 });
    }
    return out;
  }

  /* Registered under the name the lunr.py index was built with. */
  function register(lunr) {
    if (lunr.Pipeline.registeredFunctions.cpStem) return;
    var cpStem = function (token, i, tokens) {
      return LATIN_WORD.test(token.toString()) ? lunr.stemmer(token, i, tokens) : token;
    };
    lunr.Pipeline.registerFunction(cpStem, "cpStem");
  }

  /* The compact index of plugins/cloudpeds/search/indexer.py → lunr's serialised index. Field
     vectors are recomputed here (BM25, lunr's k1 = 1.2, b = 0.75) from term frequencies and field
     lengths, with exactly the arithmetic of indexer.expand(). `kinds[ref]` gives each document's
     boost through `boosts`. */
  function expandIndex(data, kinds, boosts) {
    var K1 = 1.2, B = 0.75, fields = data.fields, lengths = data.lengths, count = kinds.length;
    var nFields = fields.length, f;
    var average = lengths.map(function (row) {
      var sum = 0; for (var i = 0; i < row.length; i++) sum += row[i]; return sum / count;
    });
    /* Terms in the order of their number, so every vector is filled in ascending order (lunr needs
       sorted vectors) without sorting each of them. */
    var order = data.terms.map(function (entry, position) { return position; });
    order.sort(function (a, b) { return data.terms[a][1] - data.terms[b][1]; });
    var EMPTY = {};  /* lunr copies, never changes, a posting's metadata: one object serves all */
    /* Only the vectors of documents that have postings: with a few shards loaded, most are empty,
       and lunr only looks up the vectors of documents a query term matched. */
    var vectors = {}, keys = [];
    var invertedIndex = new Array(order.length);
    for (var t = 0; t < order.length; t++) {
      var entry = data.terms[order[t]], termIndex = entry[1], posting = { _index: termIndex };
      for (f = 0; f < nFields; f++) posting[fields[f]] = {};
      var refs = [], tfs = [], fieldOf = [];
      for (var g = 3; g < entry.length; g++) {
        var group = entry[g], field = group[0], ref = 0, target = posting[fields[field]];
        for (var k = 1; k < group.length; k++) {
          var value = group[k];
          if (value < 0) { tfs[tfs.length - 1] = -value; continue; }
          ref += value;
          target[ref] = EMPTY;
          refs.push(ref); tfs.push(1); fieldOf.push(field);
        }
      }
      invertedIndex[order[t]] = [entry[0], posting];  /* lunr wants the terms in sorted order */
      /* entry[2]: the term's true number of postings (a common term ships only its best ones) */
      var x = (count - entry[2] + 0.5) / (entry[2] + 0.5), idf = Math.log(1 + Math.abs(x));
      for (var p = 0; p < refs.length; p++) {
        var fi = fieldOf[p], r = refs[p], tf = tfs[p], slot = r * nFields + fi;
        var norm = K1 * (1 - B + B * (lengths[fi][r] / average[fi])) + tf;
        var score = idf * ((K1 + 1) * tf) / norm * data.fieldBoosts[fi] * boosts[kinds[r]];
        if (!vectors[slot]) { vectors[slot] = []; keys.push(slot); }
        vectors[slot].push(termIndex, Math.floor(score * 1000 + 0.5) / 1000);
      }
    }
    keys.sort(function (a, b) { return a - b; });
    var fieldVectors = keys.map(function (slot) {
      return [fields[slot % nFields] + "/" + Math.floor(slot / nFields), vectors[slot]];
    });
    return { version: data.version, fields: fields, fieldVectors: fieldVectors,
      invertedIndex: invertedIndex, pipeline: data.pipeline };
  }

  /* plugins/cloudpeds/search/shards.py shard_key: a CJK term's first character, else its first two. */
  function shardKey(term) { return isCjk(term.charAt(0)) ? term.charAt(0) : term.slice(0, 2); }

  /* plugins/cloudpeds/search/shards.py unpack_docs: [url, kind, title, chapter] per document. */
  function unpackDocs(packed) {
    var docs = new Array(packed.length);
    for (var i = 0; i < packed.length; i++) {
      var doc = packed[i];
      if (typeof doc[0] === "number") {
        var parent = docs[doc[0]];
        docs[i] = [parent[0] + "#" + doc[1], doc[2], doc[3], parent[2]];
      } else {
        docs[i] = doc;
      }
    }
    return docs;
  }

  /* plugins/cloudpeds/search/shards.py decode_shard: a shipped shard → compact entries
     [term, number, df, groups…] in term order, numbered from `base`. */
  function decodeShard(data, base) {
    var entries = [];
    Object.keys(data).sort().forEach(function (key) {
      data[key].forEach(function (row) {
        var hasDf = typeof row[1] === "number", groups = row.slice(hasDf ? 2 : 1), df = hasDf ? row[1] : 0;
        if (!hasDf) groups.forEach(function (group) {
          for (var i = 1; i < group.length; i++) if (group[i] >= 0) df++;
        });
        entries.push([key + row[0], base + entries.length, df].concat(groups));
      });
    });
    return entries;
  }

  function byTerm(a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; }

  /* Search over a sharded index (plugins/cloudpeds/search/shards.py): `entry` is the language's entry
     file; `fetch(path)` returns a Promise of a shard's data (a script tag in the page, a file in Node).
     A query loads the shards of its terms' keys, then lunr searches an index rebuilt from the shards
     loaded so far, which ranks exactly as the whole index would. */
  function Engine(lunr, entry, fetch) {
    register(lunr);
    this.lunr = lunr; this.entry = entry; this.fetch = fetch;
    this.docs = unpackDocs(entry.docs);
    this.kinds = this.docs.map(function (doc) { return doc[1]; });
    this.pipeline = lunr.Pipeline.load(entry.index.pipeline);
    this.terms = []; this.loaded = {}; this.pending = {}; this.index = null; this.indexKey = "";
    this.textBlocks = {};
    this.levels = decodeLevels(entry.levels || {});
  }

  /* The terms shards a query needs, by number. */
  Engine.prototype.shardsFor = function (clauseList) {
    var keys = this.entry.keys, pipeline = this.pipeline, wanted = [];
    clauseList.forEach(function (clause) {
      (clause.usePipeline ? pipeline.runString(clause.term) : [clause.term]).forEach(function (term) {
        var shard = keys[shardKey(term)];
        if (shard !== undefined && wanted.indexOf(shard) < 0) wanted.push(shard);
      });
    });
    return wanted;
  };

  Engine.prototype.load = function (numbers) {
    var self = this;
    return Promise.all(numbers.filter(function (n) { return !self.loaded[n]; }).map(function (n) {
      if (!self.pending[n]) {
        /* then(done, failed), not finally(): Promise.prototype.finally is Chrome 63 / Safari 11.1 */
        self.pending[n] = self.fetch(self.entry.terms[n]).then(function (data) {
          self.loaded[n] = true;
          self.terms = self.terms.concat(decodeShard(data, self.entry.termBase[n])).sort(byTerm);
          delete self.pending[n];
        }, function (error) { delete self.pending[n]; throw error; });
      }
      return self.pending[n];
    }));
  };

  /* The loaded term entries a clause list can match: its terms, and every term that starts with a
     wildcard clause's prefix. */
  Engine.prototype.entriesFor = function (clauseList) {
    var terms = this.terms, pipeline = this.pipeline, found = [], seen = {};
    clauseList.forEach(function (clause) {
      (clause.usePipeline ? pipeline.runString(clause.term) : [clause.term]).forEach(function (term) {
        var low = 0, high = terms.length;
        while (low < high) {  /* the first entry >= term */
          var mid = (low + high) >> 1;
          if (terms[mid][0] < term) low = mid + 1; else high = mid;
        }
        for (var i = low; i < terms.length; i++) {
          var name = terms[i][0];
          if (clause.wildcard ? name.lastIndexOf(term, 0) !== 0 : name !== term) break;
          if (!seen[name]) { seen[name] = true; found.push(terms[i]); }
        }
      });
    });
    return found.sort(byTerm);
  };

  /* A lunr index of just the entries a query matches. It ranks exactly as the whole index: lunr's
     score is the dot product of the query and document vectors over the query's own terms, divided
     by the query vector's magnitude. Kept small, it spares lunr walking long document vectors. */
  Engine.prototype.lunrIndex = function (entries) {
    var key = entries.map(function (entry) { return entry[0]; }).join(" ");
    if (this.index && this.indexKey === key) return this.index;
    var data = {}, source = this.entry.index;
    Object.keys(source).forEach(function (name) { data[name] = source[name]; });
    data.terms = entries;
    this.index = this.lunr.Index.load(expandIndex(data, this.kinds, this.entry.boosts));
    this.indexKey = key;
    return this.index;
  };

  /* Ranked hits [{ref, score}] for loaded shards: an exact chapter name first, then lunr's order
     (the rule of plugins/cloudpeds/search/query.py `ranked`). */
  Engine.prototype.ranked = function (text, clauseList) {
    if (!clauseList.length) return [];
    var entries = this.entriesFor(clauseList);
    var hits = entries.length ? this.lunrIndex(entries).query(function (q) {
      clauseList.forEach(function (c) { q.term(c.term, c); });
    }) : [];
    hits = byLevel(hits, this.levels, this.entry.scale || {});
    var exact = this.entry.names[normalise(text).trim()];
    if (exact === undefined) return hits;
    var ref = String(exact);
    return [{ ref: ref, score: Infinity }].concat(hits.filter(function (hit) { return hit.ref !== ref; }));
  };

  /* The hits that carry an urgency level (danger signs, referrals) reordered among themselves, most urgent
     first, in the places they hold (plugins/cloudpeds/search/query.py by_level, the same rule). */
  function byLevel(hits, levels, scale) {
    var leveled = hits.filter(function (hit) { return scale[levels[hit.ref]]; });
    var queue = leveled.map(function (hit, i) { return [scale[levels[hit.ref]][0], i, hit]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var next = 0;
    return hits.map(function (hit) { return scale[levels[hit.ref]] ? queue[next++][2] : hit; });
  }

  /* plugins/cloudpeds/search/shards.py decode_levels: {level: gaps between document numbers} →
     {document number: level}. */
  function decodeLevels(encoded) {
    var levels = {};
    Object.keys(encoded).forEach(function (level) {
      var number = 0;
      encoded[level].forEach(function (gap) { number += gap; levels[number] = level; });
    });
    return levels;
  }

  /* A query in Chinese that finds nothing is asked again character by character ("干咳" → "干 咳"):
     each character is then a prefix of the words it starts. "" when that is the same query. */
  function byCharacters(text) {
    var out = normalise(text).replace(new RegExp("[" + CJK + "]{2,}", "g"), function (run) {
      return " " + run.split("").join(" ") + " ";
    }).replace(/\s+/g, " ").trim();
    return out === normalise(text).replace(/\s+/g, " ").trim() ? "" : out;
  }

  /* Promise of the ranked hits, loading what the query needs first. */
  Engine.prototype.search = function (text) {
    var self = this, clauseList = clauses(text);
    return this.load(this.shardsFor(clauseList)).then(function () { return self.ranked(text, clauseList); });
  };

  /* Promise of the snippet texts of documents `refs` (numbers), as {ref: text}. */
  Engine.prototype.texts = function (refs) {
    var self = this, size = this.entry.textBlock, blocks = [];
    refs.forEach(function (ref) {
      var block = Math.floor(ref / size);
      if (blocks.indexOf(block) < 0) blocks.push(block);
    });
    return Promise.all(blocks.map(function (block) {
      if (!self.textBlocks[block]) {
        self.textBlocks[block] = self.fetch(self.entry.texts[block]).catch(function (error) {
          delete self.textBlocks[block]; throw error;
        });
      }
      return self.textBlocks[block];
    })).then(function () {
      return Promise.all(refs.map(function (ref) { return self.textBlocks[Math.floor(ref / size)]; }));
    }).then(function (loaded) {
      var out = {};
      refs.forEach(function (ref, i) { out[ref] = loaded[i][ref % size]; });
      return out;
    });
  };

  return { tokenize: tokenize, clauses: clauses, register: register, isCjk: isCjk, normalise: normalise,
    byLevel: byLevel, byCharacters: byCharacters, decodeLevels: decodeLevels,
    expandIndex: expandIndex, shardKey: shardKey, unpackDocs: unpackDocs, decodeShard: decodeShard, Engine: Engine };
});
