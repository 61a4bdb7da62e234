// The Lucene 4.10 anchor of `npm run bench:retrieval -- --scale`: Debian's liblucene4.10-java, an
// EnglishAnalyzer over one `contents` field (title + text, as Pyserini indexes), BM25Similarity(0.9, 0.4)
// (Anserini's defaults), an FSDirectory on disk. Compiled by the benchmark when javac exists.
//   java Anchor build <passages.tsv> <indexDir>      -> {"buildMs":…, "peakRssMb":…}
//   java Anchor query <indexDir> <questions.tsv>     -> {"reloadMs":…, "coldMs":…, "p50":…, "mean":…, "recall10":…, "peakRssMb":…}
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.*;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public class Anchor {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("build")) build(args[1], args[2]);
    else query(args[1], args[2]);
  }

  static double peakRssMb() throws IOException {
    for (String l : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
      if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0;
    }
    return -1;
  }

  static void build(String tsv, String dir) throws Exception {
    long t = System.nanoTime();
    IndexWriterConfig cfg = new IndexWriterConfig(Version.LUCENE_4_10_0, new EnglishAnalyzer());
    cfg.setSimilarity(new BM25Similarity(0.9f, 0.4f));
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    try (IndexWriter w = new IndexWriter(FSDirectory.open(new File(dir)), cfg);
         BufferedReader r = Files.newBufferedReader(Paths.get(tsv), StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t", 3);
        Document d = new Document();
        d.add(new StringField("id", f[0], Field.Store.YES));
        d.add(new TextField("contents", f[1] + "\n" + f[2], Field.Store.YES));
        w.addDocument(d);
      }
      w.commit();
    }
    System.out.println("{\"buildMs\":" + (System.nanoTime() - t) / 1e6 + ",\"peakRssMb\":" + peakRssMb() + "}");
  }

  static void query(String dir, String questions) throws Exception {
    List<String[]> qs = new ArrayList<>();
    for (String l : Files.readAllLines(Paths.get(questions), StandardCharsets.UTF_8)) if (!l.isEmpty()) qs.add(l.split("\t", 3));
    long t = System.nanoTime();
    DirectoryReader reader = DirectoryReader.open(FSDirectory.open(new File(dir)));
    IndexSearcher s = new IndexSearcher(reader);
    s.setSimilarity(new BM25Similarity(0.9f, 0.4f));
    QueryParser parser = new QueryParser(Version.LUCENE_4_10_0, "contents", new EnglishAnalyzer());
    double reloadMs = (System.nanoTime() - t) / 1e6;
    ids(s, parser, qs.get(0)[1]);
    double coldMs = (System.nanoTime() - t) / 1e6;
    for (String[] q : qs) ids(s, parser, q[1]); // warm-up, as the Hopscope side
    double[] times = new double[qs.size()];
    double found = 0, sum = 0;
    for (int i = 0; i < qs.size(); i++) {
      long q0 = System.nanoTime();
      List<String> top = ids(s, parser, qs.get(i)[1]);
      times[i] = (System.nanoTime() - q0) / 1e6;
      sum += times[i];
      String[] gold = qs.get(i)[2].split(",");
      int hit = 0;
      for (String g : gold) if (top.subList(0, Math.min(10, top.size())).contains(g)) hit++;
      found += (double) hit / gold.length;
    }
    Arrays.sort(times);
    System.out.println("{\"reloadMs\":" + reloadMs + ",\"coldMs\":" + coldMs + ",\"p50\":" + times[times.length / 2] + ",\"mean\":" + sum / times.length
        + ",\"recall10\":" + found / qs.size() + ",\"peakRssMb\":" + peakRssMb() + "}");
  }

  static List<String> ids(IndexSearcher s, QueryParser parser, String q) throws Exception {
    TopDocs top = s.search(parser.parse(QueryParser.escape(q)), 20);
    List<String> out = new ArrayList<>();
    for (ScoreDoc d : top.scoreDocs) out.add(s.doc(d.doc).get("id"));
    return out;
  }
}
