import Foundation
import PodinfoServer

// podinfo-compatible server; see PodinfoCommand and spec/podinfo.md.
exit(await PodinfoCommand.main())
