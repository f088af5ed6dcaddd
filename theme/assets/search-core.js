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
    var average = lengths.map(function (row) {
      var sum = 0; for (var i = 0; i < row.length; i++) sum += row[i]; return sum / count;
    });
    var vectors = fields.map(function () { var v = new Array(count); for (var i = 0; i < count; i++) v[i] = []; return v; });
    var invertedIndex = new Array(data.terms.length);
    for (var t = 0; t < data.terms.length; t++) {
      var entry = data.terms[t], termIndex = entry[1], posting = { _index: termIndex }, postings = [];
      fields.forEach(function (field) { posting[field] = {}; });
      for (var g = 2; g < entry.length; g++) {
        var group = entry[g], field = group[0], ref = 0;
        for (var k = 1; k < group.length; k++) {
          var value = group[k];
          if (value < 0) postings[postings.length - 1][2] = -value;
          else { ref += value; postings.push([field, ref, 1]); posting[fields[field]][String(ref)] = {}; }
        }
      }
      invertedIndex[t] = [entry[0], posting];
      var x = (count - postings.length + 0.5) / (postings.length + 0.5), idf = Math.log(1 + Math.abs(x));
      for (var p = 0; p < postings.length; p++) {
        var f = postings[p][0], r = postings[p][1], tf = postings[p][2];
        var norm = K1 * (1 - B + B * (lengths[f][r] / average[f])) + tf;
        var score = idf * ((K1 + 1) * tf) / norm * data.fieldBoosts[f] * boosts[kinds[r]];
        vectors[f][r].push(termIndex, Math.floor(score * 1000 + 0.5) / 1000);
      }
    }
    var fieldVectors = [];
    for (var d = 0; d < count; d++) {
      for (var fi = 0; fi < fields.length; fi++) {
        var values = vectors[fi][d], pairs = [];
        for (var v = 0; v < values.length; v += 2) pairs.push([values[v], values[v + 1]]);
        pairs.sort(function (a, b) { return a[0] - b[0]; });
        fieldVectors.push([fields[fi] + "/" + d, [].concat.apply([], pairs)]);
      }
    }
    return { version: data.version, fields: fields, fieldVectors: fieldVectors,
      invertedIndex: invertedIndex, pipeline: data.pipeline };
  }

  return { tokenize: tokenize, clauses: clauses, register: register, isCjk: isCjk, normalise: normalise,
    expandIndex: expandIndex };
});
