import org.apache.avro.Schema;
import java.nio.file.*;
public class Dump {
  public static void main(String[] a) throws Exception {
    for (String f : a) {
      String s = new String(Files.readAllBytes(Paths.get(f)), "UTF-8");
      try {
        Schema sc = new Schema.Parser().parse(s);
        System.out.println(sc.toString());
      } catch (Throwable t) { System.out.println("ERROR " + t); }
    }
  }
}
