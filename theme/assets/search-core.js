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
    var nFields = fields.length, f, d;
    var average = lengths.map(function (row) {
      var sum = 0; for (var i = 0; i < row.length; i++) sum += row[i]; return sum / count;
    });
    /* Terms in the order of their number, so every vector is filled in ascending order (lunr needs
       sorted vectors) without sorting each of them. */
    var order = data.terms.map(function (entry, position) { return position; });
    order.sort(function (a, b) { return data.terms[a][1] - data.terms[b][1]; });
    var EMPTY = {};  /* lunr copies, never changes, a posting's metadata: one object serves all */
    var vectors = new Array(nFields * count);
    for (var v = 0; v < vectors.length; v++) vectors[v] = [];
    var invertedIndex = new Array(order.length);
    for (var t = 0; t < order.length; t++) {
      var entry = data.terms[order[t]], termIndex = entry[1], posting = { _index: termIndex };
      for (f = 0; f < nFields; f++) posting[fields[f]] = {};
      var refs = [], tfs = [], fieldOf = [];
      for (var g = 2; g < entry.length; g++) {
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
      var x = (count - refs.length + 0.5) / (refs.length + 0.5), idf = Math.log(1 + Math.abs(x));
      for (var p = 0; p < refs.length; p++) {
        var fi = fieldOf[p], r = refs[p], tf = tfs[p];
        var norm = K1 * (1 - B + B * (lengths[fi][r] / average[fi])) + tf;
        var score = idf * ((K1 + 1) * tf) / norm * data.fieldBoosts[fi] * boosts[kinds[r]];
        vectors[fi * count + r].push(termIndex, Math.floor(score * 1000 + 0.5) / 1000);
      }
    }
    var fieldVectors = new Array(nFields * count), n = 0;
    for (d = 0; d < count; d++) {
      for (f = 0; f < nFields; f++) fieldVectors[n++] = [fields[f] + "/" + d, vectors[f * count + d]];
    }
    return { version: data.version, fields: fields, fieldVectors: fieldVectors,
      invertedIndex: invertedIndex, pipeline: data.pipeline };
  }

  return { tokenize: tokenize, clauses: clauses, register: register, isCjk: isCjk, normalise: normalise,
    expandIndex: expandIndex };
});
